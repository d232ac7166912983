package io.livestage.recording.streaming.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.events.livekit.EgressInfo.StreamResult;
import io.livestage.events.livekit.IngressInfo;
import io.livestage.platform.inbox.ProcessedEvents;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.repository.NotificationRepository;
import io.livestage.recording.repository.NotificationRepository.Draft;
import io.livestage.recording.service.EgressDriver;
import io.livestage.recording.streaming.model.Restream;
import io.livestage.recording.streaming.repository.StreamRepository;

/**
 * What LiveKit reports about a session's stream, from webhooks and from the reconcile loop alike: the stream egress'
 * status and HLS progress, each restream's result (a FAILED one is scheduled to be added again with backoff, and its
 * host told; after the retry limit it is given up), and the OBS ingress' state. One transaction per report, with the
 * webhook's id in the processed-events log when it came from Kafka; every change bumps the status version.
 */
@ApplicationScoped
public class StreamUpdates {
    private final StreamRepository streams;
    private final ProcessedEvents processed;
    private final NotificationRepository notifications;
    private final RecordingConfig config;
    private final StreamDriver driver;
    private final SecretBox secrets;
    private final MeterRegistry registry;

    public StreamUpdates(StreamRepository streams, ProcessedEvents processed, NotificationRepository notifications,
            RecordingConfig config, StreamDriver driver, SecretBox secrets, MeterRegistry registry) {
        this.secrets = secrets;
        this.streams = streams;
        this.processed = processed;
        this.notifications = notifications;
        this.config = config;
        this.driver = driver;
        this.registry = registry;
    }

    /** An egress report; egresses that are not a session's stream change nothing. */
    public Uni<Void> egress(EgressInfo info, String consumer, String eventId, Instant now) {
        return streams.pool().withTransaction(tx -> once(tx, consumer, eventId).chain(fresh -> !fresh
                ? Uni.createFrom().voidItem() : applyEgress(tx, info, now))).invoke(driver::kick);
    }

    /** An ingress report; ingresses recording-service does not keep change nothing. */
    public Uni<Void> ingress(IngressInfo info, String consumer, String eventId, Instant now) {
        return streams.pool().withTransaction(tx -> once(tx, consumer, eventId).chain(fresh -> {
            if (!fresh || info.ingressId() == null) {
                return Uni.createFrom().voidItem();
            }
            IngressInfo.Media video = info.video();
            IngressInfo.Media audio = info.audio();
            boolean on = info.publishing();
            return streams.applyIngress(tx, info.ingressId(), info.status().name(), info.error(),
                    on && video != null ? video.averageBitrate() : null, on && audio != null ? audio.averageBitrate() : null,
                    on && video != null ? video.width() : null, on && video != null ? video.height() : null,
                    on && video != null ? video.framerate() : null, on ? info.startedAt() : null, now)
                    .chain(session -> {
                        if (session == null) {
                            return Uni.createFrom().voidItem();
                        }
                        if (info.status() == IngressInfo.Status.ENDPOINT_ERROR) {
                            registry.counter("livestage_stream_ingest_errors_total").increment();
                        }
                        if (on && video != null && video.averageBitrate() > 0) {
                            registry.summary("livestage_stream_ingest_bitrate_kbps")
                                    .record(video.averageBitrate() / 1000.0);
                        }
                        return streams.changed(tx, session, now);
                    });
        }));
    }

    private Uni<Boolean> once(SqlClient tx, String consumer, String eventId) {
        return consumer == null ? Uni.createFrom().item(true) : processed.firstDelivery(tx, consumer, eventId);
    }

    private Uni<Void> applyEgress(SqlClient tx, EgressInfo info, Instant now) {
        if (info.egressId() == null) {
            return Uni.createFrom().voidItem();
        }
        OutputStatus status = OutputStatus.of(info.status());
        EgressInfo.SegmentResult hls = info.segmentResults().isEmpty() ? null : info.segmentResults().getFirst();
        Instant hlsStarted = status == OutputStatus.ACTIVE || status.terminal()
                ? hls != null && hls.startedAt() != null ? hls.startedAt() : info.startedAt() : null;
        String error = status == OutputStatus.FAILED || status == OutputStatus.LIMIT_REACHED ? info.error() : null;
        return streams.applyBroadcast(tx, info.egressId(), status.name(), status.rank(), hlsStarted,
                status.terminal() ? (info.endedAt() != null ? info.endedAt() : now) : null,
                hls == null ? 0 : hls.segmentCount(), error, now).chain(applied -> {
                    if (applied == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Boolean> results = status.terminal() ? Uni.createFrom().item(false)
                            : restreams(tx, applied.session(), info.streamResults(), now);
                    return results.chain(restreamsChanged -> applied.changed() || restreamsChanged
                            ? streams.changed(tx, applied.session(), now) : Uni.createFrom().voidItem());
                });
    }

    /** Each restream LiveKit has: the newest report of its URL decides (a re-added URL is reported again). */
    private Uni<Boolean> restreams(SqlClient tx, UUID session, List<StreamResult> results, Instant now) {
        return streams.sealedUrls(tx, session).chain(urls -> streams.restreams(tx, session).chain(rows -> {
            boolean[] changed = {false};
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Restream restream : rows) {
                if (!Restream.STARTING.equals(restream.status()) && !Restream.ACTIVE.equals(restream.status())) {
                    continue;
                }
                String full = secrets.open(urls.get(restream.targetId()),
                        StreamDriver.context(session, restream.targetId()));
                StreamResult latest = null;
                for (StreamResult result : results) {
                    if (StreamUrls.matches(result.url(), full) && (latest == null || latest.startedAt() == null
                            || result.startedAt() == null || !result.startedAt().isBefore(latest.startedAt()))) {
                        latest = result;
                    }
                }
                if (latest == null || stale(latest, restream)) {
                    continue;
                }
                StreamResult report = latest;
                chain = chain.chain(() -> switch (report.status()) {
                    case ACTIVE -> streams.restreamReported(tx, session, restream.targetId(), Restream.ACTIVE, null,
                            report.startedAt() == null ? now : report.startedAt(), null, now)
                            .invoke(c -> changed[0] |= c).replaceWithVoid();
                    case FAILED -> failed(tx, session, restream, report.error(), now).invoke(() -> changed[0] = true);
                    case FINISHED -> Uni.createFrom().voidItem();
                });
            }
            return chain.map(ignored -> changed[0]);
        }));
    }

    /**
     * A FAILED report of the stream that was there before the restream was added again (a webhook sent before the
     * retry, delivered after it): its stream started before the retry, by at least the backoff. Half the first backoff
     * of tolerance absorbs clock skew between LiveKit and this service.
     */
    private boolean stale(StreamResult report, Restream restream) {
        return report.status() == EgressInfo.StreamStatus.FAILED && restream.lastRetryAt() != null
                && report.startedAt() != null && report.startedAt().isBefore(
                        restream.lastRetryAt().minus(config.streaming().retryInitial().dividedBy(2)));
    }

    private Uni<Void> failed(SqlClient tx, UUID session, Restream restream, String error, Instant now) {
        RecordingConfig.Streaming s = config.streaming();
        boolean giveUp = restream.retries() >= s.retryLimit();
        Duration wait = EgressDriver.backoff(s.retryInitial(), s.retryMax(), restream.retries() + 1);
        String reason = error == null || error.isBlank() ? "the stream failed" : error;
        return streams.restreamReported(tx, session, restream.targetId(), giveUp ? Restream.GAVE_UP : Restream.FAILED,
                reason, null, giveUp ? null : now.plus(wait), now).chain(changed -> {
                    if (!changed) {
                        return Uni.createFrom().voidItem();
                    }
                    registry.counter("livestage_stream_restream_failures_total", "kind", restream.kind().name())
                            .increment();
                    String text = giveUp
                            ? "Restream to " + restream.name() + " stopped after " + restream.retries()
                                    + " retries: " + reason
                            : "Restream to " + restream.name() + " failed (" + reason + "); retrying in "
                                    + wait.toSeconds() + " s";
                    return notifications.notify(tx, new Draft(session, giveUp ? "restream.stopped" : "restream.failed",
                            null, null, null, null, text, "/api/sessions/" + session + "/stream", false), now);
                });
    }
}
