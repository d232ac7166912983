package io.livestage.recording.podcast.event;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.TranscriptEvent;
import io.livestage.events.transcript.TranscriptSegment;
import io.livestage.platform.kafka.EventReader;
import io.livestage.recording.podcast.repository.TranscriptRepository;

/**
 * transcription-service's transcript finals (livestage.transcript, group recording-service) into recording-service's
 * own table, for the episodes' WebVTT transcripts. Partials are skipped; a final is stored once per utterance, so a
 * redelivery changes nothing.
 */
@ApplicationScoped
public class TranscriptFinals {
    static final String CONSUMER = "recording-service.transcript-finals";

    private final EventReader events;
    private final TranscriptRepository transcripts;

    public TranscriptFinals(EventReader events, TranscriptRepository transcripts) {
        this.events = events;
        this.transcripts = transcripts;
    }

    @Incoming("transcript-finals")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent<TranscriptEvent> event = events.read(CONSUMER, record, TranscriptEvent.class).orElse(null);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (event.data()) {
            case TranscriptSegment s when s.isFinal() && usable(s) -> transcripts.addFinal(s).replaceWithVoid();
            case TranscriptSegment s -> Uni.createFrom().voidItem();
        };
    }

    private static boolean usable(TranscriptSegment s) {
        return s.sessionId() != null && s.streamId() != null && s.utteranceId() != null && s.text() != null
                && s.participantIdentity() != null && s.startAt() != null && s.endAt() != null;
    }
}
