package io.livestage.transcription.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AcksTest {

    @Test
    void readsTheEndOfAnAcknowledgementAsTheStubAndGladiaWriteIt() {
        String ack = new JsonObject().put("session_id", "s").put("created_at", "2026-12-02T00:00:00.000Z")
                .put("type", "audio_chunk").put("acknowledged", true).putNull("error")
                .put("data", new JsonObject().put("byte_range", new JsonArray().add(3200).add(6400))
                        .put("time_range", new JsonArray().add(0.1).add(0.2)))
                .encode();
        assertThat(Acks.acknowledgedEnd(ack)).isEqualTo(6400);
        assertThat(Acks.acknowledgedEnd(ack.replace("[3200,6400]", "[0,12345678901]"))).isEqualTo(12345678901L);
    }

    @Test
    void leavesEverythingElseToTheJsonParser() {
        String ack = "{\"type\":\"audio_chunk\",\"acknowledged\":true,\"data\":{\"byte_range\":[0,3200]}}";
        // refused, other types, other spacing, odd ranges: -1, the caller parses the message
        assertThat(Acks.acknowledgedEnd(ack.replace("true", "false"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("audio_chunk", "transcript"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("\"type\":", "\"type\": "))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("[0,3200]", "[0, 3200]"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("[0,3200]", "[3200,0]"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("[0,3200]", "[0,3200,1]"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("[0,3200]", "[0,-1]"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd(ack.replace("[0,3200]", "[]"))).isEqualTo(-1);
        assertThat(Acks.acknowledgedEnd("{\"type\":\"audio_chunk\",\"acknowledged\":true")).isEqualTo(-1);
        // a transcript whose text quotes an acknowledgement is escaped JSON: never mistaken for one
        String transcript = new JsonObject().put("type", "transcript").put("data", new JsonObject()
                .put("utterance", new JsonObject().put("text", ack))).encode();
        assertThat(Acks.acknowledgedEnd(transcript)).isEqualTo(-1);
    }
}
