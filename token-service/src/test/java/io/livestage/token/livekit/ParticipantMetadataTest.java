package io.livestage.token.livekit;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

class ParticipantMetadataTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theShortcutWritesWhatJacksonWrites() throws Exception {
        for (ParticipantRole role : ParticipantRole.values()) {
            for (String session : new String[] { UUID.randomUUID().toString(), "k3v9q2xa", "quote\"and\\back", "é\n",
                    null }) {
                ParticipantMetadata metadata = new ParticipantMetadata(role, session);
                assertThat(metadata.json()).isEqualTo(mapper.writeValueAsString(metadata));
            }
        }
        assertThat(new ParticipantMetadata(null, "x").json()).isEqualTo("{\"role\":null,\"sessionId\":\"x\"}");
    }
}
