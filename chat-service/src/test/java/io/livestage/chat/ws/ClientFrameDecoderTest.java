package io.livestage.chat.ws;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.livestage.chat.ws.ClientFrame.Invalid;

import static org.assertj.core.api.Assertions.assertThat;

/** Client frames of PROTOCOL.md read as records, and every way a frame is refused, naming the field at fault. */
class ClientFrameDecoderTest {
    private final ClientFrameDecoder decoder = new ClientFrameDecoder(new ObjectMapper());

    @Test
    void eachFrameTypeIsReadAsItsRecord() {
        assertThat(decoder.decode("{\"type\":\"auth\",\"v\":1,\"token\":\"t-1\"}")).isEqualTo(new ClientFrame.Auth("t-1"));
        assertThat(decoder.decode("{\"type\":\"auth\",\"v\":1}")).isEqualTo(new ClientFrame.Auth(null));
        assertThat(decoder.decode("{\"type\":\"auth\",\"v\":1,\"token\":null}")).isEqualTo(new ClientFrame.Auth(null));
        assertThat(decoder.decode("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"c-1\",\"text\":\"hi\"}"))
                .isEqualTo(new ClientFrame.ChatSend("c-1", "hi"));
        assertThat(decoder.decode("{\"v\":1,\"type\":\"reaction\",\"reaction\":\"heart\"}"))
                .isEqualTo(new ClientFrame.Reaction("heart"));
        String id = "5c1e2d3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
        assertThat(decoder.decode("{\"type\":\"resume\",\"v\":1,\"lastMessageId\":\"" + id + "\",\"lastSeq\":3}"))
                .isEqualTo(new ClientFrame.Resume(UUID.fromString(id), -1));
        assertThat(decoder.decode("{\"type\":\"resume\",\"v\":1,\"lastSeq\":41}"))
                .isEqualTo(new ClientFrame.Resume(null, 41));
        assertThat(decoder.decode("{\"type\":\"resume\",\"v\":1,\"lastMessageId\":\"not-an-id\",\"lastSeq\":0}"))
                .isEqualTo(new ClientFrame.Resume(null, 0));
    }

    @Test
    void contentTheRoomJudgesIsPassedOnAsNullWhenNotAString() {
        assertThat(decoder.decode("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":7,\"text\":[\"hi\"]}"))
                .isEqualTo(new ClientFrame.ChatSend(null, null));
        assertThat(decoder.decode("{\"type\":\"chat.send\",\"v\":1}")).isEqualTo(new ClientFrame.ChatSend(null, null));
        assertThat(decoder.decode("{\"type\":\"reaction\",\"v\":1,\"reaction\":1}"))
                .isEqualTo(new ClientFrame.Reaction(null));
    }

    @Test
    void whatIsNotAJsonObjectWithATypeIsAnInvalidFrame() {
        assertThat(decoder.decode("not json")).isEqualTo(new Invalid("invalid_frame", null, "frames are JSON objects"));
        for (String frame : new String[] {"[1,2]", "\"auth\"", "{\"v\":1}", "{\"type\":7,\"v\":1}", ""}) {
            assertThat(decoder.decode(frame)).as(frame)
                    .isEqualTo(new Invalid("invalid_frame", "type", "frames are JSON objects with a type"));
        }
    }

    @Test
    void anotherVersionIsUnsupported() {
        Invalid expected = new Invalid("unsupported_version", "v", "this server speaks protocol version 1; send \"v\":1");
        assertThat(decoder.decode("{\"type\":\"chat.send\",\"v\":2,\"clientMessageId\":\"c-v\",\"text\":\"hi\"}"))
                .isEqualTo(expected);
        assertThat(decoder.decode("{\"type\":\"auth\"}")).isEqualTo(expected);
    }

    @Test
    void unknownTypesAndFieldsAreRefusedByName() {
        assertThat(decoder.decode("{\"type\":\"chat.edit\",\"v\":1}"))
                .isEqualTo(new Invalid("invalid_frame", "type", "unknown frame type 'chat.edit'"));
        assertThat(decoder.decode("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"c-x\",\"text\":\"hi\",\"extra\":1}"))
                .isEqualTo(new Invalid("invalid_frame", "extra", "unknown field 'extra' in chat.send"));
        assertThat(decoder.decode("{\"type\":\"auth\",\"v\":1,\"tokn\":\"t\"}"))
                .isEqualTo(new Invalid("invalid_frame", "tokn", "unknown field 'tokn' in auth"));
    }

    @Test
    void aTokenOrAResumePointOfTheWrongKindIsAnInvalidFrameNamingTheField() {
        assertThat(decoder.decode("{\"type\":\"auth\",\"v\":1,\"token\":42}"))
                .isEqualTo(new Invalid("invalid_frame", "token", "token must be a string"));
        Invalid resume = new Invalid("invalid_frame", "lastSeq",
                "resume needs lastMessageId (a message id) or lastSeq (>= 0)");
        assertThat(decoder.decode("{\"type\":\"resume\",\"v\":1}")).isEqualTo(resume);
        assertThat(decoder.decode("{\"type\":\"resume\",\"v\":1,\"lastSeq\":-1}")).isEqualTo(resume);
        assertThat(decoder.decode("{\"type\":\"resume\",\"v\":1,\"lastSeq\":\"5\"}")).isEqualTo(resume);
    }
}
