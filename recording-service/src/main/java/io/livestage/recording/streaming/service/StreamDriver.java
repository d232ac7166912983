package io.livestage.recording.streaming.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
import io.livestage.recording.livekit.LiveKitEgressClient;
import io.livestage.recording.livekit.LiveKitIngressClient;
import io.livestage.recording.livekit.StreamRequests;
import io.livestage.recording.service.EgressDriver;
import io.livestage.recording.service.WorkLoop;
import io.livestage.recording.streaming.model.Restream;
import io.livestage.recording.streaming.repository.StreamRepository;
import io.livestage.recording.streaming.repository.StreamRepository.DueBroadcast;
import io.livestage.recording.streaming.repository.StreamRepository.DueRestream;

/**
 * Turns the stream intents stored by requests and events into LiveKit calls, like the recordings' egress driver: starts
 * a session's stream egress (retried while its room does not exist yet), stops it, aborts one that never started;
 * adds a restream's URL with UpdateStream (again, after a failure, when its retry is due) and removes a stopped one;
 * deletes ingresses that were rotated, revoked or outlived their session. Work is claimed with a lease in the
 * database, so replicas share it and a crashed one's claims expire. Runs on its own thread (the SDK blocks), woken by
 * {@link #kick()} after a commit and by a poll. Stream URLs are decrypted only here, for the call, and never logged.
 */
@ApplicationScoped
public class StreamDriver {
    private static final Logger LOG = Logger.getLogger(StreamDriver.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final StreamRepository streams;
    private final LiveKitEgressClient egress;
    private final LiveKitIngressClient ingress;
    private final SecretBox secrets;
    private final RecordingConfig config;
    private final MeterRegistry registry;
    private final jakarta.enterprise.inject.Instance<StreamUpdates> updates;
    private final WorkLoop loop;

    public StreamDriver(StreamRepository streams, LiveKitEgressClient egress, LiveKitIngressClient ingress,
            SecretBox secrets, RecordingConfig config, MeterRegistry registry,
            jakarta.enterprise.inject.Instance<StreamUpdates> updates) {
        this.updates = updates;
        this.streams = streams;
        this.egress = egress;
        this.ingress = ingress;
        this.secrets = secrets;
        this.config = config;
        this.registry = registry;
        this.loop = new WorkLoop("stream-driver", config.egress().batchSize(), this::round);
    }

    /** Asks for a round soon (a commit recorded something to do). */
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
        Instant lease = now.plus(config.egress().lease());
        int batch = config.egress().batchSize();
        List<DueBroadcast> broadcasts = streams.claimDueBroadcasts(now, lease, batch).await().atMost(DB_TIMEOUT);
        for (DueBroadcast due : broadcasts) {
            guarded("stream of session " + due.sessionId(), () -> broadcast(due));
        }
        List<DueRestream> restreams = streams.claimDueRestreams(now, lease, batch).await().atMost(DB_TIMEOUT);
        for (DueRestream due : restreams) {
            guarded("restream " + due.targetId() + " of session " + due.sessionId(), () -> restream(due));
        }
        List<Object[]> deletions = streams.claimDueDeletions(now, lease, batch).await().atMost(DB_TIMEOUT);
        for (Object[] due : deletions) {
            guarded("ingress " + due[0], () -> deleteIngress((String) due[0], (Integer) due[1]));
        }
        return Math.max(broadcasts.size(), Math.max(restreams.size(), deletions.size()));
    }

    private void broadcast(DueBroadcast due) throws LiveKitCallFailed {
        Instant now = Instant.now();
        if ("PENDING".equals(due.status()) && due.stopRequested()) {
            streams.pool().withTransaction(tx -> streams.broadcastAborted(tx, due.sessionId(), now)
                    .chain(() -> streams.changed(tx, due.sessionId(), now))).await().atMost(DB_TIMEOUT);
            return;
        }
        if ("PENDING".equals(due.status())) {
            start(due);
            return;
        }
        if (due.stopRequested() && due.egressId() != null) {
            Answer<EgressInfo> answer = egress.stop(due.egressId());
            count("stop", answer.value() != null ? "accepted" : answer.code());
        }
        streams.broadcastIdle(due.sessionId()).await().atMost(DB_TIMEOUT);
    }

    private void start(DueBroadcast due) throws LiveKitCallFailed {
        List<DueRestream> carried = streams.pendingRestreams(due.sessionId()).await().atMost(DB_TIMEOUT);
        List<String> urls = new ArrayList<>();
        for (DueRestream r : carried) {
            urls.add(secrets.open(r.url(), context(r.sessionId(), r.targetId())));
        }
        StreamRequests.Request request = StreamRequests.of(config.storage().directory(), due.sessionId(), due.video(),
                due.quality(), due.audioKbps(), config.streaming().segmentSeconds(), urls);
        Answer<EgressInfo> answer = egress.startStream(due.sessionId().toString(), request);
        Instant now = Instant.now();
        if (answer.value() == null) {
            count("start", answer.code());
            Duration wait = backoff(due.attempts());
            streams.broadcastRetry(due.sessionId(), "LiveKit: " + answer.code(), now.plus(wait))
                    .await().atMost(DB_TIMEOUT);
            loop.kickIn(wait.toMillis());
            return;
        }
        count("start", "accepted");
        List<UUID> ids = carried.stream().map(DueRestream::targetId).toList();
        streams.pool().withTransaction(tx -> streams.broadcastAccepted(tx, due.sessionId(), answer.value().egressId(),
                ids, now).chain(() -> streams.changed(tx, due.sessionId(), now))).await().atMost(DB_TIMEOUT);
        apply(answer.value());
    }

    /** LiveKit's answer is a report like a webhook: applied at once (its webhook may have come first, or be lost). */
    private void apply(EgressInfo info) {
        updates.get().egress(info, null, null, Instant.now()).await().atMost(DB_TIMEOUT);
    }

    private void restream(DueRestream due) throws LiveKitCallFailed {
        Instant now = Instant.now();
        String context = context(due.sessionId(), due.targetId());
        switch (due.status()) {
            case Restream.PENDING, Restream.FAILED -> {
                if (due.egressId() == null || !"STARTING".equals(due.broadcastStatus())
                        && !"ACTIVE".equals(due.broadcastStatus())) {
                    // the stream egress is not running: its start carries the URL (or its end stops the restream)
                    streams.restreamRetryAt(due.sessionId(), due.targetId(), null, null).await().atMost(DB_TIMEOUT);
                    return;
                }
                String url = secrets.open(due.url(), context);
                Answer<EgressInfo> answer = egress.updateStream(due.egressId(), List.of(url), List.of());
                boolean retried = Restream.FAILED.equals(due.status());
                if (answer.value() == null) {
                    count("add", answer.code());
                    streams.restreamRetryAt(due.sessionId(), due.targetId(), now.plus(backoff(due.retries())),
                            "LiveKit refused the stream: " + answer.code()).await().atMost(DB_TIMEOUT);
                    return;
                }
                count("add", "accepted");
                if (retried) {
                    registry.counter("livestage_stream_restream_retries_total").increment();
                }
                streams.pool().withTransaction(tx -> streams.restreamSent(tx, due.sessionId(), due.targetId(),
                        due.status(), Restream.STARTING, null, retried, null, now)
                        .chain(() -> streams.changed(tx, due.sessionId(), now))).await().atMost(DB_TIMEOUT);
                apply(answer.value());
            }
            case Restream.STOPPING -> {
                if (due.egressId() != null) {
                    String url = secrets.open(due.url(), context);
                    Answer<EgressInfo> answer = egress.updateStream(due.egressId(), List.of(), List.of(url));
                    count("remove", answer.value() != null ? "accepted" : answer.code());
                }
                streams.pool().withTransaction(tx -> streams.restreamSent(tx, due.sessionId(), due.targetId(),
                        Restream.STOPPING, Restream.STOPPED, null, false, null, now)
                        .chain(() -> streams.changed(tx, due.sessionId(), now))).await().atMost(DB_TIMEOUT);
            }
            default -> streams.restreamRetryAt(due.sessionId(), due.targetId(), null, null).await().atMost(DB_TIMEOUT);
        }
    }

    private void deleteIngress(String ingressId, int attempts) {
        try {
            Answer<Void> answer = ingress.delete(ingressId);
            count("delete-ingress", answer.notFound() ? "not_found" : "accepted");
            streams.deletionDone(ingressId).await().atMost(DB_TIMEOUT);
        } catch (LiveKitCallFailed e) {
            streams.deletionRetry(ingressId, e.getMessage(), Instant.now().plus(backoff(attempts)))
                    .await().atMost(DB_TIMEOUT);
        }
    }

    /** The associated data of a restream URL's ciphertext: its session and target. */
    public static String context(UUID session, UUID target) {
        return "restream:" + session + ":" + target;
    }

    /** The wait after {@code attempts} failed attempts (the recordings' egress backoff). */
    private Duration backoff(int attempts) {
        return EgressDriver.backoff(config.egress().retryInitial(), config.egress().retryMax(), attempts + 1);
    }

    private void guarded(String what, Call call) {
        try {
            call.run();
        } catch (LiveKitCallFailed e) {
            LOG.warnf("%s: LiveKit call failed (%s); retried when its lease ends", what, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warnf("%s: %s; retried when its lease ends", what, e.getClass().getSimpleName());
        }
    }

    private void count(String call, String outcome) {
        registry.counter("livestage_stream_livekit_calls_total", "call", call, "outcome",
                outcome == null ? "error" : outcome).increment();
    }

    @FunctionalInterface
    private interface Call {
        void run() throws LiveKitCallFailed;
    }
}
