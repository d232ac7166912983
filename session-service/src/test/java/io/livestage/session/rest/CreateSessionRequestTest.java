package io.livestage.session.rest;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionVisibility;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The create body becomes the service's NewSession unchanged: its JSON (the Idempotency-Key fingerprint) is the
 * body's, so keys claimed before the command existed still match their retries.
 */
class CreateSessionRequestTest {
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void theCommandSerialisesExactlyAsTheBody() throws Exception {
        CreateSessionRequest full = new CreateSessionRequest("Friday AMA", "Ask anything", SessionKind.VIDEO,
                SessionVisibility.PRIVATE, Instant.parse("2026-12-01T18:00:00.123456Z"), "product-team",
                new SettingsRequest(300, true, false, 6, true, false, true, false, true, false, true));
        assertThat(json.writeValueAsString(full.toCommand())).isEqualTo(json.writeValueAsString(full));
        assertThat(json.writeValueAsString(full.toCommand())).contains("\"maxGuests\":6", "\"spaceId\":\"product-team\"",
                "\"speakerTracks\":true");
    }

    @Test
    void aBodyWithoutSpeakerTracksFingerprintsAsBeforeTheSettingExisted() throws Exception {
        CreateSessionRequest older = new CreateSessionRequest("t", null, SessionKind.AUDIO, null, null, null,
                new SettingsRequest(null, null, null, null, null, null, null, null, true, null, null));
        assertThat(json.writeValueAsString(older.toCommand())).isEqualTo(json.writeValueAsString(older))
                .contains("\"recordingEnabled\":true").doesNotContain("speakerTracks");
    }

    @Test
    void absentFieldsStayAbsent() throws Exception {
        CreateSessionRequest bare = new CreateSessionRequest("t", null, SessionKind.AUDIO, null, null, null, null);
        assertThat(bare.toCommand().settings()).isNull();
        assertThat(bare.toCommand().visibility()).isNull();
        assertThat(json.writeValueAsString(bare.toCommand())).isEqualTo(json.writeValueAsString(bare));
    }
}
