package io.livestage.transcription.service;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;

import io.livestage.events.transcript.TranscriptSegment;

/** Server frames of the speaker channel (PROTOCOL.md). */
public final class Frames {
    public static final int VERSION = 1;

    private Frames() {
    }

    public static JsonObject error(String code, String message) {
        return new JsonObject().put("type", "error").put("v", VERSION).put("code", code).put("message", message);
    }

    public static JsonObject transcript(TranscriptSegment s) {
        return new JsonObject().put("type", "transcript").put("v", VERSION).put("streamId", s.streamId())
                .put("utteranceId", s.utteranceId()).put("text", s.text()).put("final", s.isFinal())
                .put("startAt", s.startAt().toString()).put("endAt", s.endAt().toString()).put("language", s.language());
    }

    public static void send(WebSocketConnection socket, JsonObject frame) {
        if (socket.isOpen()) {
            socket.sendText(frame.encode()).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** An {@code error} frame, then a close with {@code code} and a reason of at most 100 characters. */
    public static void closeWithError(WebSocketConnection socket, String errorCode, String message, int code, String reason) {
        if (!socket.isOpen()) {
            return;
        }
        socket.sendText(error(errorCode, message).encode()).onItemOrFailure()
                .transformToUni((ok, failure) -> socket.close(new CloseReason(code,
                        reason.length() > 100 ? reason.substring(0, 100) : reason)))
                .subscribe().with(ok -> { }, failure -> { });
    }
}
