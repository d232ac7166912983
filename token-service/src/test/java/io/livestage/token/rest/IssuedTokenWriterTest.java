package io.livestage.token.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.token.service.IssuedToken;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written answer is byte for byte what the application's ObjectMapper writes as bytes, whatever the values. */
@QuarkusTest
class IssuedTokenWriterTest {
    @Inject
    ObjectMapper mapper;

    @Test
    void writesWhatTheObjectMapperWrites() throws Exception {
        IssuedTokenWriter writer = new IssuedTokenWriter(mapper);
        String grants = "{\"roomJoin\":true,\"room\":\"r\",\"canPublish\":false,\"canSubscribe\":true,\"canPublishData\":false}";
        Instant exp = Instant.ofEpochSecond(1_800_000_000L);
        String[] names = { "Bob", null, "Zoë 🎤", "quote \" back \\ slash", "tab\tnew\nline", "", "lone \ud800" };
        for (ParticipantRole role : ParticipantRole.values()) {
            for (String name : names) {
                for (Instant at : new Instant[] { exp, exp.plusMillis(250) }) {
                    IssuedToken token = new IssuedToken("eyJh.eyJi.sig", "ws://127.0.0.1:7880",
                            "6f1c2d3e-0000-4000-8000-000000000001", "anon-k3v9q2xa-0123456789", name, role, grants, at);
                    // the bytes Quarkus's Jackson writer sends (ObjectWriter.writeValue to the response's stream)
                    assertThat(new String(writer.bytes(token), StandardCharsets.UTF_8))
                            .isEqualTo(new String(mapper.writeValueAsBytes(token), StandardCharsets.UTF_8));
                }
            }
        }
    }
}
