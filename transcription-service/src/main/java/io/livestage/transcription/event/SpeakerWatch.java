package io.livestage.transcription.event;

import java.io.IOException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.events.CloudEventHeaders;
import io.livestage.transcription.service.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every instance reads {@code livestage.session} from the end in a consumer group of its own (so each instance sees
 * every event): a speaker with a stream here who left, was demoted to viewer or removed, or whose session ended or
 * turned transcription off, has the stream stopped cleanly ({@code stop_recording}, last finals, close).
 */
@ApplicationScoped
public class SpeakerWatch {
    private final StreamRegistry streams;
    private final ObjectMapper json;

    public SpeakerWatch(StreamRegistry streams, ObjectMapper json) {
        this.streams = streams;
        this.json = json;
    }

    @Incoming("speaker-watch")
    public void onEvent(ConsumerRecord<String, byte[]> record) throws IOException {
        String type = SessionProjection.header(record, CloudEventHeaders.TYPE);
        if (type == null || record.key() == null || record.value() == null || streams.isEmpty(record.key())) {
            return;
        }
        JsonNode data = json.readTree(record.value());
        if (type.startsWith("session.")) {
            JsonNode session = data.path("session");
            String status = session.path("status").asText();
            if (!"ACTIVE".equals(status) || "session.deleted".equals(type)) {
                streams.stopSession(record.key(), "session " + status.toLowerCase(java.util.Locale.ROOT));
            } else if (!session.path("settings").path("transcriptionEnabled").asBoolean(false)) {
                streams.stopSession(record.key(), "transcription turned off");
            }
            return;
        }
        JsonNode participant = data.path("participant");
        if (!participant.isObject()) {
            return;
        }
        String userId = participant.path("userId").asText();
        JsonNode leftAt = participant.get("leftAt");
        if ("participant.removed".equals(type)) {
            streams.stopSpeaker(record.key(), userId, "removed from the session");
        } else if (leftAt != null && !leftAt.isNull()) {
            streams.stopSpeaker(record.key(), userId, "left the session");
        } else if ("VIEWER".equals(participant.path("role").asText())) {
            streams.stopSpeaker(record.key(), userId, "no longer on stage");
        }
    }
}
