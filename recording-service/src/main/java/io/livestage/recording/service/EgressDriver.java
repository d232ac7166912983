package io.livestage.recording.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.platform.livekit.Answer;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.livekit.EgressRequests;
import io.livestage.recording.livekit.LiveKitEgressClient;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.repository.OutputRepository;
import io.livestage.recording.repository.OutputRepository.Due;

/**
 * Turns recorded intents into LiveKit calls: starts PENDING outputs (retrying with backoff while the room does not
 * exist yet or LiveKit is unreachable), aborts the PENDING outputs of a stopped recording, stops the egresses of a
 * stopped recording. Outputs are claimed with a lease in the database, so replicas share the work and a crashed one's
 * claims expire; a start whose answer was never recorded is first looked for in LiveKit (adopted, not repeated). Runs
 * on its own thread (the SDK blocks), woken by {@link #kick()} after a commit and by a poll. Composite formats start a
 * room-composite egress, speaker tracks a track egress; everything else is the same for both.
 */
@ApplicationScoped
public class EgressDriver {
    private static final Logger LOG = Logger.getLogger(EgressDriver.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final OutputRepository outputs;
    private final OutputUpdates updates;
    private final LiveKitEgressClient egress;
    private final RecordingConfig config;
    private final MeterRegistry registry;
    private final WorkLoop loop;

    public EgressDriver(OutputRepository outputs, OutputUpdates updates, LiveKitEgressClient egress,
            RecordingConfig config, MeterRegistry registry) {
        this.outputs = outputs;
        this.updates = updates;
        this.egress = egress;
        this.config = config;
        this.registry = registry;
        this.loop = new WorkLoop("egress-driver", config.egress().batchSize(), this::round);
    }

    /** Asks for a round soon: something became due (a commit that recorded an intent or a stop request). */
    public void kick() {
        loop.kick();
    }

    @Scheduled(every = "${livestage.recording.egress.poll-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        kick();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.shutdown();
    }

    private int round() {
        Instant now = Instant.now();
        List<Due> due = outputs.claimDue(now, now.plus(config.egress().lease()), config.egress().batchSize())
                .await().atMost(DB_TIMEOUT);
        for (Due output : due) {
            try {
                handle(output);
            } catch (RuntimeException e) {
                LOG.warnf("Output %s: %s; retried when its lease ends", output.key(), e.toString());
            }
        }
        return due.size();
    }

    /** What looking for the egress of a start whose answer was never recorded found. */
    private enum LostStart {
        ADOPTED, NONE, UNKNOWN
    }

    private void handle(Due output) {
        LostStart lost = output.status() == OutputStatus.PENDING && output.unfinishedStart() ? lostStart(output)
                : LostStart.NONE;
        if (output.status() != OutputStatus.PENDING) {
            stop(output);
        } else if (lost == LostStart.ADOPTED) {
            kick(); // now STARTING: a stop may be due
        } else if (lost == LostStart.UNKNOWN) {
            return; // LiveKit could not be asked; the output was put back for a later attempt
        } else if (output.stopRequested()) {
            updates.abortPending(output.key(), Instant.now()).await().atMost(DB_TIMEOUT);
        } else {
            start(output);
        }
    }

    private void start(Due output) {
        String room = output.sessionId().toString();
        try {
            Answer<EgressInfo> answer = output.key().track()
                    ? egress.startTrack(room, output.key().trackSid(),
                            EgressRequests.track(config, output.sessionId(), output.recordingId(), output.key().trackSid()))
                    : egress.startRoomComposite(room,
                            EgressRequests.of(config, output.sessionId(), output.recordingId(), output.format()));
            if (answer.value() != null) {
                count("start", "accepted");
                EgressInfo info = answer.value();
                outputs.accepted(output.key(), info.egressId(), Instant.now())
                        .await().atMost(DB_TIMEOUT);
                updates.apply(info, null, null, Instant.now()).await().atMost(DB_TIMEOUT);
            } else if (answer.notFound()) {
                count("start", "room-missing");
                retry(output, "LiveKit room " + room + " does not exist yet", false);
            } else {
                count("start", "refused");
                fail(output, "LiveKit refused the egress: " + answer.message());
            }
        } catch (LiveKitCallFailed e) {
            count("start", e.isTransient() ? "unavailable" : "refused");
            if (e.isTransient()) {
                // a timeout may hide an egress LiveKit did create: the next attempt looks for it first
                retry(output, e.getMessage(), true);
            } else {
                fail(output, e.getMessage());
            }
        }
    }

    private void stop(Due output) {
        try {
            Answer<EgressInfo> answer = egress.stop(output.egressId());
            count("stop", answer.value() != null ? "accepted" : answer.code());
            outputs.stopSent(output.key(), Instant.now(),
                    answer.value() != null ? null : "StopEgress: " + answer.message()).await().atMost(DB_TIMEOUT);
            if (answer.value() != null) {
                updates.apply(answer.value(), null, null, Instant.now()).await().atMost(DB_TIMEOUT);
            }
        } catch (LiveKitCallFailed e) {
            count("stop", e.isTransient() ? "unavailable" : "refused");
            if (e.isTransient()) {
                retry(output, e.getMessage(), false);
            } else {
                // the reconcile loop follows the egress from here (and repeats the stop if it is still running)
                outputs.stopSent(output.key(), Instant.now(), e.getMessage())
                        .await().atMost(DB_TIMEOUT);
            }
        }
    }

    /** A start whose answer was lost may have created the egress: find it by the recording id in its file path. */
    private LostStart lostStart(Due output) {
        try {
            for (EgressInfo info : egress.list(output.sessionId().toString())) {
                boolean ours = info.fileOutputs().stream().anyMatch(file -> output.key()
                        .equals(OutputUpdates.outputOf(info.request(), file.filepath(), file.fileType())));
                if (ours && updates.apply(info, null, null, Instant.now()).await().atMost(DB_TIMEOUT)) {
                    LOG.infof("Adopted egress %s of output %s (its start's answer was lost)", info.egressId(),
                            output.key());
                    return LostStart.ADOPTED;
                }
            }
            return LostStart.NONE;
        } catch (LiveKitCallFailed e) {
            retry(output, "looking for a lost start: " + e.getMessage(), true);
            return LostStart.UNKNOWN;
        }
    }

    /** Another attempt after the backoff; {@code outcomeUnknown}: the call may have reached LiveKit. */
    private void retry(Due output, String error, boolean outcomeUnknown) {
        Duration delay = backoff(output.attempts());
        outputs.retryAt(output.key(), Instant.now().plus(delay), error, outcomeUnknown).await().atMost(DB_TIMEOUT);
        // wake up when it is due rather than at the next poll (a room usually exists tens of milliseconds later)
        loop.kickIn(delay.toMillis());
    }

    private void fail(Due output, String reason) {
        updates.fail(output.key(), reason, Instant.now()).await().atMost(DB_TIMEOUT);
    }

    private Duration backoff(int attempts) {
        return backoff(config.egress().retryInitial(), config.egress().retryMax(), attempts);
    }

    /** min(initial × 2^(attempts−1), max): the wait before attempt {@code attempts} + 1. */
    public static Duration backoff(Duration initial, Duration max, int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private void count(String call, String outcome) {
        registry.counter("livestage.recording.egress.calls", "call", call, "outcome", outcome).increment();
    }
}
