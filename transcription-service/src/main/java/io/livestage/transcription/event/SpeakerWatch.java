package io.livestage.transcription.event;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.kafka.EventReader;
import io.livestage.transcription.service.StreamRegistry;

/**
 * Every instance reads {@code livestage.session} from the end in a consumer group of its own (so each instance sees
 * every event): a speaker with a stream here who left, was demoted to viewer or removed, or whose session ended or
 * turned transcription off, has the stream stopped cleanly ({@code stop_recording}, last finals, close).
 */
@ApplicationScoped
public class SpeakerWatch {
    static final String CONSUMER = "transcription-service.speaker-watch";

    private final StreamRegistry streams;
    private final EventReader events;

    public SpeakerWatch(StreamRegistry streams, EventReader events) {
        this.streams = streams;
        this.events = events;
    }

    @Incoming("speaker-watch")
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        String sessionId = record.key();
        if (sessionId == null || streams.isEmpty(sessionId)) {
            return; // no stream of this session here: not worth reading the event
        }
        CloudEvent<SessionEvent> event = events.read(CONSUMER, record, SessionEvent.class).orElse(null);
        if (event == null) {
            return;
        }
        switch (event.data()) {
            case SessionChange change -> onSession(sessionId, change);
            case ParticipantChange change -> onParticipant(sessionId, change);
            case StageChange change -> {
                // a raised hand changes no stream
            }
        }
    }

    private void onSession(String sessionId, SessionChange change) {
        SessionSnapshot session = change.session();
        SessionStatus status = session.status();
        if (status != SessionStatus.ACTIVE || change instanceof SessionDeleted) {
            streams.stopSession(sessionId, "session " + String.valueOf(status).toLowerCase(Locale.ROOT));
        } else if (session.settings() == null || !session.settings().transcriptionEnabled()) {
            streams.stopSession(sessionId, "transcription turned off");
        }
    }

    private void onParticipant(String sessionId, ParticipantChange change) {
        ParticipantSnapshot participant = change.participant();
        if (participant == null) {
            return;
        }
        if (change instanceof ParticipantRemoved) {
            streams.stopSpeaker(sessionId, participant.userId(), "removed from the session");
        } else if (participant.leftAt() != null) {
            streams.stopSpeaker(sessionId, participant.userId(), "left the session");
        } else if (participant.role() == ParticipantRole.VIEWER) {
            streams.stopSpeaker(sessionId, participant.userId(), "no longer on stage");
        }
    }
}
