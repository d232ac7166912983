package io.livestage.recording.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.livekit.LiveKitEgressClient;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.repository.OutputRepository;
import io.livestage.recording.repository.OutputRepository.Live;
import io.livestage.recording.repository.RecordingRepository;

/**
 * Repairs what a lost webhook or a crash left behind, by comparing every output LiveKit is working on with LiveKit's
 * own view of its egress (ListEgress by egress id, which works after the room is gone): a status the webhooks never
 * brought is applied (a lost {@code egress_ended} still yields its file and {@code recording.completed}); an egress
 * LiveKit no longer knows is failed; one still STARTING after the timeout is failed and stopped; one still running
 * after its session ended, or after a stop that did not take, is stopped.
 */
@ApplicationScoped
public class EgressReconciler {
    private static final Logger LOG = Logger.getLogger(EgressReconciler.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final String SESSION_ENDED = SessionRecordings.SESSION_ENDED;

    private final OutputRepository outputs;
    private final RecordingRepository recordings;
    private final OutputUpdates updates;
    private final LiveKitEgressClient egress;
    private final EgressDriver driver;
    private final RecordingConfig config;
    private final MeterRegistry registry;
    private volatile boolean stopping;

    public EgressReconciler(OutputRepository outputs, RecordingRepository recordings, OutputUpdates updates,
            LiveKitEgressClient egress, EgressDriver driver, RecordingConfig config, MeterRegistry registry) {
        this.outputs = outputs;
        this.recordings = recordings;
        this.updates = updates;
        this.egress = egress;
        this.driver = driver;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(every = "${livestage.recording.egress.reconcile-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        if (stopping) {
            return;
        }
        try {
            for (Live output : outputs.live(config.egress().batchSize()).await().atMost(DB_TIMEOUT)) {
                reconcile(output);
            }
        } catch (LiveKitCallFailed e) {
            LOG.warnf("Reconcile stopped, LiveKit is not answering (next run retries): %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Reconcile failed, the next run retries: %s", e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void reconcile(Live output) throws LiveKitCallFailed {
        Instant now = Instant.now();
        Optional<EgressInfo> found = egress.find(output.egressId());
        if (found.isEmpty()) {
            repaired("unknown", updates.fail(output.key(),
                    "LiveKit no longer knows egress " + output.egressId(), now));
            return;
        }
        EgressInfo info = found.get();
        if (repaired("status", updates.apply(info, null, null, now)) && info.status().terminal()) {
            return;
        }
        OutputStatus status = OutputStatus.of(info.status());
        boolean running = status == OutputStatus.STARTING || status == OutputStatus.ACTIVE;
        Duration timeout = config.egress().startingTimeout();
        if (status == OutputStatus.STARTING && output.egressStartedAt() != null
                && output.egressStartedAt().plus(timeout).isBefore(now)) {
            if (repaired("starting-timeout", updates.fail(output.key(),
                    "LiveKit did not start recording within " + timeout.toSeconds() + " s", now))) {
                egress.stop(output.egressId());
            }
        } else if (running && !"ACTIVE".equals(output.sessionStatus()) && !output.stopRequested()) {
            repaired("session-ended", outputs.pool().withTransaction(tx -> recordings.requestStop(tx,
                    output.sessionId(), output.recordingId(), SESSION_ENDED, now)).map(stopped -> stopped > 0));
            driver.kick();
        } else if (running && output.stopSentAt() != null
                && output.stopSentAt().plus(config.egress().lease()).isBefore(now)) {
            outputs.resendStop(output.key(), now).await().atMost(DB_TIMEOUT);
            registry.counter("livestage.recording.reconciled", "repair", "stop-resent").increment();
            driver.kick();
        }
    }

    private boolean repaired(String repair, Uni<Boolean> change) {
        boolean changed = change.await().atMost(DB_TIMEOUT);
        if (changed) {
            registry.counter("livestage.recording.reconciled", "repair", repair).increment();
        }
        return changed;
    }
}
