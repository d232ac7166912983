package io.livestage.chat.ws;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.chat.ws.ClientFrame.Invalid;

/**
 * Reads a text frame from a client into a {@link ClientFrame}: a JSON object with {@code type} and {@code v} 1, no
 * field its type does not have (a typo is an error, not silently ignored). What the frame means for the room is
 * decided elsewhere.
 */
@ApplicationScoped
public class ClientFrameDecoder {
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "auth", Set.of("type", "v", "token"),
            "chat.send", Set.of("type", "v", "clientMessageId", "text"),
            "reaction", Set.of("type", "v", "reaction"),
            "resume", Set.of("type", "v", "lastMessageId", "lastSeq"));

    private final ObjectMapper json;

    public ClientFrameDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ClientFrame decode(String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (IOException e) {
            return new Invalid("invalid_frame", null, "frames are JSON objects");
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            return new Invalid("invalid_frame", "type", "frames are JSON objects with a type");
        }
        if (frame.path("v").asInt(-1) != Frames.VERSION) {
            return new Invalid("unsupported_version", "v", "this server speaks protocol version 1; send \"v\":1");
        }
        String type = frame.path("type").asText();
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            return new Invalid("invalid_frame", "type", "unknown frame type '" + type + "'");
        }
        for (Iterator<String> names = frame.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return new Invalid("invalid_frame", name, "unknown field '" + name + "' in " + type);
            }
        }
        return switch (type) {
            case "auth" -> auth(frame);
            case "chat.send" -> new ClientFrame.ChatSend(text(frame, "clientMessageId"), text(frame, "text"));
            case "reaction" -> new ClientFrame.Reaction(text(frame, "reaction"));
            default -> resume(frame);
        };
    }

    private static ClientFrame auth(JsonNode frame) {
        JsonNode token = frame.path("token");
        if (token.isMissingNode() || token.isNull()) {
            return new ClientFrame.Auth(null);
        }
        if (!token.isTextual()) {
            return new Invalid("invalid_frame", "token", "token must be a string");
        }
        return new ClientFrame.Auth(token.asText());
    }

    private static ClientFrame resume(JsonNode frame) {
        String lastMessageId = text(frame, "lastMessageId");
        if (isUuid(lastMessageId)) {
            return new ClientFrame.Resume(UUID.fromString(lastMessageId), -1);
        }
        JsonNode lastSeq = frame.path("lastSeq");
        if (lastSeq.canConvertToLong() && lastSeq.asLong() >= 0) {
            return new ClientFrame.Resume(null, lastSeq.asLong());
        }
        return new Invalid("invalid_frame", "lastSeq", "resume needs lastMessageId (a message id) or lastSeq (>= 0)");
    }

    private static String text(JsonNode frame, String field) {
        JsonNode value = frame.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    static boolean isUuid(String value) {
        try {
            return value != null && value.length() == 36 && UUID.fromString(value) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
