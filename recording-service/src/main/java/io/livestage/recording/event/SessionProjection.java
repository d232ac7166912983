package io.livestage.recording.event;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.session.SessionChange;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.kafka.EventReader;
import io.livestage.recording.service.SessionRecordings;

/**
 * session-service's events (one consumer group for all instances, in order per session): the projection of sessions
 * and participants, the recordings a session's start and end call for, and the session's timeline for podcast
 * chapters — its start, guests approved onto the stage ({@code guest.approved}, a participant change too) and
 * participants made cohost ({@link SessionRecordings}).
 */
@ApplicationScoped
public class SessionProjection {
    static final String CONSUMER = "recording-service.session-projection";

    private final EventReader events;
    private final SessionRecordings recordings;

    public SessionProjection(EventReader events, SessionRecordings recordings) {
        this.events = events;
        this.recordings = recordings;
    }

    @Incoming("session-projection")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent<SessionEvent> event = events.read(CONSUMER, record, SessionEvent.class).orElse(null);
        if (event == null || event.sequence() == null) {
            return Uni.createFrom().voidItem();
        }
        long seq = event.sequence();
        return switch (event.data()) {
            case SessionChange change when change.session() != null -> recordings.session(change, seq, event.time());
            case ParticipantChange change when change.participant() != null && record.key() != null ->
                recordings.participant(UUID.fromString(record.key()), change, seq, event.time());
            case SessionChange change -> Uni.createFrom().voidItem();
            case ParticipantChange change -> Uni.createFrom().voidItem();
            case StageChange change -> Uni.createFrom().voidItem();
        };
    }
}
