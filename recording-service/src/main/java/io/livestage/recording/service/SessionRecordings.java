package io.livestage.recording.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.events.session.SessionCancelled;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.recording.podcast.service.SessionTimeline;
import io.livestage.recording.repository.RecordingRepository;
import io.livestage.recording.repository.SessionRepository;
import io.livestage.recording.streaming.service.StreamControl;
import io.livestage.recording.streaming.service.StreamDriver;

/**
 * The session projection and what a session's lifecycle means for its recordings, in one transaction per event: a
 * {@code session.started} with {@code recordingEnabled} records the intent to record (started by the
 * {@link EgressDriver} once committed, retried until the room exists), a session's end asks its recordings to stop.
 * Both happen only when the snapshot is newer than the stored one, so a redelivered event does nothing twice. The
 * session's start and speakers brought on stage are added to its timeline for chapters ({@link SessionTimeline}).
 * The session's stream follows its lifecycle too ({@link StreamControl}: auto restreams at the start; the stream
 * egress, restreams and OBS ingress end with it), and any change of the session changes its stream status.
 */
@ApplicationScoped
public class SessionRecordings {
    static final String SESSION_ENDED = "the session ended";

    private final SessionRepository sessions;
    private final RecordingRepository recordings;
    private final EgressDriver driver;
    private final SessionTimeline timeline;
    private final StreamControl streams;
    private final StreamDriver streamDriver;

    public SessionRecordings(SessionRepository sessions, RecordingRepository recordings, EgressDriver driver,
            SessionTimeline timeline, StreamControl streams, StreamDriver streamDriver) {
        this.streams = streams;
        this.streamDriver = streamDriver;
        this.sessions = sessions;
        this.recordings = recordings;
        this.driver = driver;
        this.timeline = timeline;
    }

    /** The formats a session records: MP3 always (the podcast enclosure), MP4 too for VIDEO sessions. */
    public static List<RecordingFormat> formats(SessionKind kind) {
        return kind == SessionKind.VIDEO ? List.of(RecordingFormat.MP3, RecordingFormat.MP4)
                : List.of(RecordingFormat.MP3);
    }

    /** Applies a session event; {@code time} is its {@code ce_time}. */
    public Uni<Void> session(SessionChange change, long seq, Instant time) {
        SessionSnapshot session = change.session();
        UUID id = UUID.fromString(session.id());
        String status = change instanceof SessionDeleted ? "DELETED" : session.status().name();
        Instant now = Instant.now();
        return sessions.pool().withTransaction(tx -> sessions.apply(tx, session, status, seq)
                .call(() -> timeline.record(tx, id, change, time, seq)).chain(applied -> {
            if (!applied) {
                return Uni.createFrom().item(false);
            }
            return switch (change) {
                case SessionStarted started when session.settings() != null && session.settings().recordingEnabled() ->
                    streams.sessionStarted(tx, id, session.hostId(), now).chain(() -> recordings.insert(tx,
                            UUID.randomUUID(), id, RecordingTrigger.AUTO, session.hostId(), formats(session.kind()),
                            now));
                case SessionStarted started -> streams.sessionStarted(tx, id, session.hostId(), now)
                        .replaceWith(false);
                case SessionEnded ended -> streams.sessionEnded(tx, id, now).chain(() -> stop(tx, id, now));
                case SessionCancelled cancelled -> streams.sessionEnded(tx, id, now).chain(() -> stop(tx, id, now));
                case SessionDeleted deleted -> streams.sessionEnded(tx, id, now).chain(() -> stop(tx, id, now));
                default -> streams.changedIfKnown(tx, id, now).replaceWith(false);
            };
        })).invoke(due -> {
            if (due) {
                driver.kick();
            }
            streamDriver.kick();
        }).replaceWithVoid();
    }

    /** Applies a participant event (and adds a speaker brought on stage to the timeline); {@code time}: ce_time. */
    public Uni<Void> participant(UUID session, ParticipantChange change, long seq, Instant time) {
        return sessions.pool().withTransaction(tx -> sessions.applyParticipant(tx, session, change.participant(),
                change instanceof ParticipantRemoved, seq).chain(() -> timeline.record(tx, session, change, time, seq)));
    }

    /** Asks the session's recordings to stop; the microphones it remembered for speaker tracks are forgotten. */
    private Uni<Boolean> stop(SqlClient tx, UUID session, Instant now) {
        return recordings.micUnpublished(tx, session, null, null)
                .chain(() -> recordings.requestStop(tx, session, null, SESSION_ENDED, now)).map(stopped -> stopped > 0);
    }
}
