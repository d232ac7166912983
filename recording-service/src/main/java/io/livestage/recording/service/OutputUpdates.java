package io.livestage.recording.service;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.platform.inbox.ProcessedEvents;
import io.livestage.recording.livekit.EgressRequests;
import io.livestage.recording.model.OutputChange;
import io.livestage.recording.model.OutputKey;
import io.livestage.recording.model.OutputState;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.podcast.service.EpisodeDrafts;
import io.livestage.recording.repository.OutputRepository;

/**
 * Changes an output's status in one transaction with the event that announces it: from LiveKit's view of its egress
 * (a webhook, a stop answer, the reconcile loop's ListEgress) or from recording-service's own decisions (a refused
 * start, a timeout). The output's row is locked, so concurrent reports of one egress apply in turn and a stale one
 * changes nothing ({@link EgressTransitions}). A completed MP3 becomes a draft podcast episode in the same transaction
 * ({@link EpisodeDrafts}).
 */
@ApplicationScoped
public class OutputUpdates {
    private final OutputRepository outputs;
    private final RecordingEvents events;
    private final ProcessedEvents processed;
    private final MeterRegistry registry;
    private final EpisodeDrafts drafts;

    public OutputUpdates(OutputRepository outputs, RecordingEvents events, ProcessedEvents processed,
            MeterRegistry registry, EpisodeDrafts drafts) {
        this.outputs = outputs;
        this.events = events;
        this.processed = processed;
        this.registry = registry;
        this.drafts = drafts;
    }

    /**
     * Applies LiveKit's {@code info}. An egress the service does not know by id is recognised by the recording id in
     * its file path (a start whose answer was lost) while that output is still PENDING; any other is not ours.
     * {@code consumer}/{@code eventId}, when given, record the event in the processed-events log in the same
     * transaction (a redelivery changes nothing). Returns true when the output changed.
     */
    public Uni<Boolean> apply(EgressInfo info, String consumer, String eventId, Instant now) {
        return inTransaction(tx -> firstDelivery(tx, consumer, eventId).chain(first -> !first
                ? Uni.createFrom().item(false)
                : locate(tx, info).chain(state -> state == null ? Uni.createFrom().item(false)
                        : write(tx, state, EgressTransitions.apply(state, info, now), now))));
    }

    /** Fails the output with {@code reason} (recording.failed) unless it has already ended. */
    public Uni<Boolean> fail(OutputKey key, String reason, Instant now) {
        return inTransaction(tx -> outputs.lock(tx, key).chain(state -> state == null
                ? Uni.createFrom().item(false) : write(tx, state, EgressTransitions.fail(state, reason, now), now)));
    }

    /** Ends a PENDING output whose recording was stopped before LiveKit accepted it (recording.failed). */
    public Uni<Boolean> abortPending(OutputKey key, Instant now) {
        return inTransaction(tx -> outputs.lock(tx, key).chain(state -> state == null
                ? Uni.createFrom().item(false) : write(tx, state, EgressTransitions.abortPending(state, now), now)));
    }

    private Uni<Boolean> inTransaction(Function<SqlClient, Uni<Boolean>> work) {
        return outputs.pool().withTransaction(work::apply).invoke(changed -> {
            if (changed) {
                events.committed();
            }
        });
    }

    private Uni<Boolean> firstDelivery(SqlClient tx, String consumer, String eventId) {
        return consumer == null || eventId == null ? Uni.createFrom().item(true)
                : processed.firstDelivery(tx, consumer, eventId);
    }

    private Uni<OutputState> locate(SqlClient tx, EgressInfo info) {
        if (info.egressId() == null) {
            return Uni.createFrom().nullItem();
        }
        return outputs.lockByEgress(tx, info.egressId()).chain(state -> {
            if (state != null) {
                return Uni.createFrom().item(state);
            }
            return info.fileOutputs().stream().findFirst()
                    .map(file -> adoptable(tx, outputOf(info.request(), file.filepath(), file.fileType())))
                    .orElse(Uni.createFrom().nullItem());
        });
    }

    /**
     * The output an egress was started for, read from its request: the recording id in the file path, then the format
     * (room composite) or the track sid in the path (track egress); null when it is not a recording's.
     */
    static OutputKey outputOf(String request, String filepath, String fileType) {
        UUID recording = EgressRequests.recordingOf(filepath);
        if (recording == null) {
            return null;
        }
        if ("track".equals(request)) {
            String track = EgressRequests.trackOf(filepath);
            return track == null ? null : OutputKey.track(recording, track);
        }
        RecordingFormat format = "MP3".equals(fileType) ? RecordingFormat.MP3
                : "MP4".equals(fileType) ? RecordingFormat.MP4 : null;
        return format == null ? null : OutputKey.composite(recording, format);
    }

    private Uni<OutputState> adoptable(SqlClient tx, OutputKey key) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return outputs.lock(tx, key)
                .map(state -> state != null && state.status() == OutputStatus.PENDING ? state : null);
    }

    private Uni<Boolean> write(SqlClient tx, OutputState state, Optional<OutputChange> change, Instant now) {
        if (change.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        OutputChange c = change.get();
        registry.counter("livestage.recording.outputs", "status", c.status().name()).increment();
        Uni<Void> written = outputs.apply(tx, state.key(), c, now);
        Uni<Void> announced = c.event() == null ? written : written.chain(() -> events.append(tx, c.event(), now));
        return (draft(c, state.format()) ? announced.chain(() -> drafts.create(tx, state.recordingId(),
                state.sessionId(), c.location(), c.sizeBytes(), c.durationMillis(), c.startedAt(), c.endedAt(), now))
                : announced).replaceWith(true);
    }

    /** A completed MP3 with its file is a podcast episode's enclosure. */
    private static boolean draft(OutputChange c, RecordingFormat format) {
        return c.status() == OutputStatus.COMPLETE && format == RecordingFormat.MP3 && c.location() != null
                && c.sizeBytes() != null && c.durationMillis() != null && c.startedAt() != null
                && c.endedAt() != null;
    }
}
