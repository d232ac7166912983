package io.livestage.token.livekit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.livestage.events.participant.ParticipantRole;

/**
 * The metadata LiveKit keeps on a participant, in its token and after a role change: {@code {"role", "sessionId"}}.
 */
public record ParticipantMetadata(ParticipantRole role, String sessionId) {
    private static final ObjectWriter WRITER = new ObjectMapper().writerFor(ParticipantMetadata.class);

    public String json() {
        if (role != null && PlainJson.plain(sessionId)) {
            // what the writer below produces for these values, without its per-call setup (once per token)
            return "{\"role\":\"" + role.name() + "\",\"sessionId\":\"" + sessionId + "\"}";
        }
        try {
            return WRITER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("participant metadata cannot be serialised", e);
        }
    }

}
