package io.livestage.chat.ws;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.model.StoredMessage;
import io.livestage.chat.service.ChatService;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.events.transcript.TranscriptSegment;

/**
 * Server → client frames of the room channel (PROTOCOL.md). Each is serialised once and the same string is written
 * to every socket it goes to; frames that carry an event ({@code chat.message}, {@code caption}) carry its record.
 */
@ApplicationScoped
public class Frames {
    public static final int VERSION = 1;

    private final ObjectMapper json;

    public Frames(ObjectMapper json) {
        this.json = json;
    }

    private ObjectNode frame(String type) {
        ObjectNode node = json.createObjectNode();
        node.put("v", VERSION);
        node.put("type", type);
        return node;
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame cannot be serialised", e);
        }
    }

    /** A {@code caption} frame: live captions, one {@code transcript.segment} event. */
    public String caption(TranscriptSegment segment) {
        ObjectNode node = frame("caption");
        node.set("segment", json.valueToTree(segment));
        return write(node);
    }

    /** The live frame of a {@code chat.message} event. */
    public String liveMessage(ChatMessagePosted message) {
        ObjectNode node = frame("chat.message");
        node.set("message", json.valueToTree(message));
        return write(node);
    }

    public String replayedMessage(StoredMessage message) {
        ObjectNode node = frame("chat.message");
        node.put("replay", true);
        node.set("message", json.valueToTree(ChatService.posted(message)));
        return write(node);
    }

    public String ack(StoredMessage message, boolean duplicate) {
        ObjectNode node = frame("chat.ack");
        node.put("clientMessageId", message.clientMessageId());
        node.put("id", message.id());
        node.put("seq", message.seq());
        node.put("sentAt", message.sentAt().toString());
        node.put("duplicate", duplicate);
        return write(node);
    }

    public String error(String code, String message) {
        return write(errorNode(code, message));
    }

    /** An {@code error} frame with its optional fields; each is left out when null. */
    public String error(String code, String message, String clientMessageId, Long retryAfterMs, Instant until) {
        ObjectNode node = errorNode(code, message);
        if (retryAfterMs != null) {
            node.put("retryAfterMs", retryAfterMs);
        }
        if (until != null) {
            node.put("until", until.toString());
        }
        if (clientMessageId != null) {
            node.put("clientMessageId", clientMessageId);
        }
        return write(node);
    }

    private ObjectNode errorNode(String code, String message) {
        ObjectNode node = frame("error");
        node.put("code", code);
        node.put("message", message);
        return node;
    }

    /** The first frame an admitted socket gets: the session, who it is, the room's settings and counts. */
    public String welcome(ChatConnection c, SessionView session, ChatSettings settings, List<String> reactions,
            long viewers, long guests, long lastSeq, int maxTextLength) {
        ObjectNode node = frame("welcome");
        node.put("connectionId", c.id());
        node.set("session", session(session));
        node.set("you", you(c));
        node.set("settings", settings(session, settings));
        ArrayNode names = node.putArray("reactions");
        reactions.forEach(names::add);
        ObjectNode counts = node.putObject("presence");
        counts.put("viewers", viewers);
        counts.put("guests", guests);
        node.put("lastSeq", lastSeq);
        node.putObject("limits").put("maxTextLength", maxTextLength);
        return write(node);
    }

    private ObjectNode session(SessionView session) {
        ObjectNode node = json.createObjectNode();
        node.put("id", session.id());
        node.put("slug", session.slug());
        node.put("title", session.title());
        node.put("status", session.status());
        node.put("visibility", session.visibility());
        node.put("kind", session.kind());
        return node;
    }

    private ObjectNode settings(SessionView session, ChatSettings settings) {
        ObjectNode node = json.createObjectNode();
        node.put("enableChat", session.enableChat());
        node.put("enableReactions", session.enableReactions());
        node.put("slowModeSeconds", settings.slowModeSeconds());
        node.put("signedInOnly", settings.signedInOnly());
        node.put("reactionsOnly", settings.reactionsOnly());
        return node;
    }

    public String settingsFrame(SessionView session, ChatSettings settings) {
        ObjectNode node = frame("settings");
        node.setAll(settings(session, settings));
        return write(node);
    }

    private ObjectNode you(ChatConnection c) {
        ObjectNode node = json.createObjectNode();
        node.put("userId", c.userId());
        node.put("name", c.name());
        node.put("role", c.role());
        node.put("anonymous", c.anonymous());
        node.put("canChat", c.canChat());
        node.put("moderator", c.moderator());
        return node;
    }

    public String youFrame(ChatConnection c) {
        ObjectNode node = frame("you");
        node.setAll(you(c));
        return write(node);
    }

    public String presence(long viewers, long guests) {
        ObjectNode node = frame("presence");
        node.put("viewers", viewers);
        node.put("guests", guests);
        return write(node);
    }

    public String reactions(Map<String, Long> counts, long total, long windowMs) {
        ObjectNode node = frame("reactions");
        node.set("counts", json.valueToTree(counts));
        node.put("total", total);
        node.put("windowMs", windowMs);
        return write(node);
    }

    public String deleted(String messageId, String deletedBy) {
        ObjectNode node = frame("chat.deleted");
        node.put("id", messageId);
        node.put("deletedBy", deletedBy);
        return write(node);
    }

    public String system(String event, String userId, String name, String role, String text) {
        ObjectNode node = frame("system");
        node.put("event", event);
        node.put("userId", userId);
        node.put("name", name);
        node.put("role", role);
        node.put("text", text);
        return write(node);
    }

    public String unmuteRequest(boolean audio, boolean video, String requestedBy) {
        ObjectNode node = frame("unmute.request");
        node.put("audio", audio);
        node.put("video", video);
        node.put("requestedBy", requestedBy);
        return write(node);
    }

    /** The part of a stage request the moderators see (not its identity, speaking time). */
    private record StageRequest(String id, String userId, String name, StageRequestStatus status, int xp,
            Instant requestedAt, Instant decidedAt, String decidedBy) {
    }

    public String stage(String event, StageRequestSnapshot request, Integer position) {
        ObjectNode node = frame("stage");
        node.put("event", event);
        node.set("request", json.valueToTree(new StageRequest(request.id(), request.userId(), request.name(),
                request.status(), request.xp(), request.requestedAt(), request.decidedAt(), request.decidedBy())));
        if (position != null) {
            node.put("position", position);
        }
        return write(node);
    }

    public String resumeDone(int count, boolean complete) {
        ObjectNode node = frame("resume.done");
        node.put("count", count);
        node.put("complete", complete);
        return write(node);
    }

    public String ended(Instant endedAt) {
        ObjectNode node = frame("session.ended");
        node.put("endedAt", endedAt == null ? Instant.now().toString() : endedAt.toString());
        return write(node);
    }

    /** {@code recording} / {@code recording.started}: the room is being recorded (one frame per output format). */
    public String recordingStarted(RecordingStarted started) {
        ObjectNode node = recording("recording.started", started.recordingId(), started.format().name());
        node.put("trigger", started.trigger() == null ? null : started.trigger().name());
        node.put("startedAt", started.startedAt() == null ? null : started.startedAt().toString());
        return write(node);
    }

    /** {@code recording} / {@code recording.ready}: an output's file is complete; for the room's moderators. */
    public String recordingReady(RecordingCompleted completed, String downloadUrl) {
        ObjectNode node = recording("recording.ready", completed.recordingId(), completed.format().name());
        node.put("durationMillis", completed.durationMillis());
        node.put("sizeBytes", completed.sizeBytes());
        node.put("downloadUrl", downloadUrl);
        return write(node);
    }

    /** {@code recording} / {@code recording.failed}: an output produced no file; for the room's moderators. */
    public String recordingFailed(RecordingFailed failed) {
        ObjectNode node = recording("recording.failed", failed.recordingId(), failed.format().name());
        node.put("reason", failed.reason());
        return write(node);
    }

    private ObjectNode recording(String event, String recordingId, String format) {
        ObjectNode node = frame("recording");
        node.put("event", event);
        node.put("recordingId", recordingId);
        node.put("format", format);
        return node;
    }
}
