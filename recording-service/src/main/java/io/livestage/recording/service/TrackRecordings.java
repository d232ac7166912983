package io.livestage.recording.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.platform.inbox.ProcessedEvents;
import io.livestage.recording.repository.RecordingRepository;
import io.livestage.recording.repository.SessionRepository;
import io.livestage.recording.service.SpeakerTracks.Change;
import io.livestage.recording.service.SpeakerTracks.Left;
import io.livestage.recording.service.SpeakerTracks.Published;
import io.livestage.recording.service.SpeakerTracks.Unpublished;

/**
 * Applies speaker-track changes ({@link SpeakerTracks}) in one transaction with the webhook's {@code ce_id} in the
 * processed-events log: a published microphone is remembered and, when the session records speaker tracks and a
 * recording is live, becomes a PENDING track output of that recording (the {@link EgressDriver} starts its track
 * egress after the commit); an unpublished microphone, or a speaker leaving, asks its track outputs to stop.
 */
@ApplicationScoped
public class TrackRecordings {
    private final SessionRepository sessions;
    private final RecordingRepository recordings;
    private final ProcessedEvents processed;
    private final EgressDriver driver;

    public TrackRecordings(SessionRepository sessions, RecordingRepository recordings, ProcessedEvents processed,
            EgressDriver driver) {
        this.sessions = sessions;
        this.recordings = recordings;
        this.processed = processed;
        this.driver = driver;
    }

    /** Applies {@code change} unless the event {@code eventId} was applied before; true when an output became due. */
    public Uni<Boolean> apply(Change change, String consumer, String eventId, Instant now) {
        return sessions.pool().withTransaction(tx -> processed.firstDelivery(tx, consumer, eventId)
                .chain(first -> first ? change(tx, change, now) : Uni.createFrom().item(false)))
                .invoke(due -> {
                    if (due) {
                        driver.kick();
                    }
                });
    }

    private Uni<Boolean> change(SqlClient tx, Change change, Instant now) {
        UUID session = change.session();
        return switch (change) {
            case Published p -> recordings.micPublished(tx, session, p.trackSid(), p.identity(), p.name(), now)
                    // the session row lock orders this with the session's recording starts and stops
                    .chain(() -> sessions.lock(tx, session))
                    .chain(info -> recordings.live(tx, session).chain(live -> SpeakerTracks.records(info, live)
                            ? recordings.insertTrack(tx, live.get(), p.trackSid(), p.identity(), p.name(), now)
                            : Uni.createFrom().item(false)));
            case Unpublished u -> recordings.micUnpublished(tx, session, u.trackSid(), null)
                    .chain(() -> recordings.stopTracks(tx, session, u.trackSid(), null, now)).map(n -> n > 0);
            case Left l -> recordings.micUnpublished(tx, session, null, l.identity())
                    .chain(() -> recordings.stopTracks(tx, session, null, l.identity(), now)).map(n -> n > 0);
        };
    }
}
