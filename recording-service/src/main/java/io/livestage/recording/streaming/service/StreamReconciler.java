package io.livestage.recording.streaming.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import org.jboss.logging.Logger;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.events.livekit.IngressInfo;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.recording.livekit.LiveKitEgressClient;
import io.livestage.recording.livekit.LiveKitIngressClient;
import io.livestage.recording.streaming.repository.StreamRepository;

/**
 * LiveKit's view of the streams is the truth (a webhook can be lost, recording-service can be down): shortly after
 * start and then periodically, every stream egress that may still run is read back with ListEgress and every kept
 * ingress with ListIngress of its room, and what they say is applied exactly like a webhook ({@link StreamUpdates}).
 * An egress LiveKit no longer knows is ended as ABORTED.
 */
@ApplicationScoped
public class StreamReconciler {
    private static final Logger LOG = Logger.getLogger(StreamReconciler.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 200;

    private final StreamRepository streams;
    private final StreamUpdates updates;
    private final LiveKitEgressClient egress;
    private final LiveKitIngressClient ingress;

    private volatile boolean stopping;

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public StreamReconciler(StreamRepository streams, StreamUpdates updates,
            LiveKitEgressClient egress,
            LiveKitIngressClient ingress) {
        this.streams = streams;
        this.updates = updates;
        this.egress = egress;
        this.ingress = ingress;
    }

    @Scheduled(every = "${livestage.recording.egress.reconcile-every:30s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Blocking
    void reconcile() {
        if (stopping) {
            return;
        }
        try {
            reconcileOnce();
        } catch (RuntimeException e) {
            LOG.warnf("Stream reconcile round failed, the next one retries: %s", e.getCause() == null ? e.toString() : e.getCause().toString());
        }
    }

    /** One round (also called by tests through the schedule's first run after a restart). */
    public void reconcileOnce() {
        for (String[] live : streams.liveBroadcasts(BATCH).await().atMost(DB_TIMEOUT)) {
            String egressId = live[1];
            try {
                Optional<EgressInfo> info = egress.find(egressId);
                EgressInfo report = info.orElseGet(() -> new EgressInfo(egressId, null, live[0],
                        EgressInfo.Status.EGRESS_ABORTED, null, Instant.now(), Instant.now(),
                        "LiveKit no longer knows this egress", 0, null, null, List.of(), List.of()));
                updates.egress(report, null, null, Instant.now()).await().atMost(DB_TIMEOUT);
            } catch (LiveKitCallFailed e) {
                LOG.debugf("ListEgress %s failed: %s", egressId, e.getClass().getSimpleName());
            }
        }
        for (String[] kept : streams.ingresses(BATCH).await().atMost(DB_TIMEOUT)) {
            UUID session = UUID.fromString(kept[0]);
            try {
                for (IngressInfo info : ingress.list(session.toString())) {
                    if (kept[1].equals(info.ingressId())) {
                        updates.ingress(info, null, null, Instant.now()).await().atMost(DB_TIMEOUT);
                    }
                }
            } catch (LiveKitCallFailed e) {
                LOG.debugf("ListIngress of %s failed: %s", session, e.getClass().getSimpleName());
            }
        }
    }
}
