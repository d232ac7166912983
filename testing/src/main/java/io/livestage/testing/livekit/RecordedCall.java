package io.livestage.testing.livekit;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;

/**
 * One HTTP request the {@link LiveKitStub} received, recorded (before its response was written) whatever the outcome:
 * also the ones refused by authentication, failure injection or {@link LiveKitStub#setUnavailable unavailability}, so
 * retry tests can count attempts.
 *
 * @param method the Twirp method name, e.g. {@code "UpdateParticipant"}, {@code "StopEgress"} or
 *        {@code "CreateIngress"} (the raw path when it is not a {@code /twirp/livekit.RoomService/...},
 *        {@code /twirp/livekit.Egress/...} or {@code /twirp/livekit.Ingress/...} path)
 * @param contentType the request's {@code Content-Type} header (empty when absent)
 * @param request the decoded request message ({@code livekit.LivekitRoom.UpdateParticipantRequest},
 *        {@code livekit.LivekitEgress.StopEgressRequest}, ...), or
 *        {@code null} when the body could not be decoded or the method is unknown
 * @param json {@link #request} in LiveKit's Twirp JSON form (snake_case, defaults emitted), or {@code null}
 * @param claims the caller's verified token claims, or {@code null} when no valid token was presented
 * @param receivedNanos {@link System#nanoTime()} when the request arrived (for latency and backoff assertions)
 * @param receivedAt wall-clock time when the request arrived
 * @param status the HTTP status answered
 * @param errorCode the Twirp error code answered ({@code "not_found"}, ...), {@code "unauthenticated"} also for the
 *        auth middleware's plain-text 401s, {@code "http_<status>"} for an injected non-Twirp status (502, 504, ...),
 *        or {@code null} on success
 * @param response the response message on success, otherwise {@code null}
 */
public record RecordedCall(
        String method,
        String contentType,
        Message request,
        JsonNode json,
        TokenClaims claims,
        long receivedNanos,
        Instant receivedAt,
        int status,
        String errorCode,
        Message response) {

    /** The request as its concrete type, e.g. {@code call.request(UpdateParticipantRequest.class)}. */
    public <T extends Message> T request(Class<T> type) {
        return type.cast(request);
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** The {@code room} ({@code name} for CreateRoom, {@code room_name} for Egress) of the request, or empty. */
    public String room() {
        if (json == null) {
            return "";
        }
        for (String field : new String[] { "room", "room_name", "name" }) {
            if (json.path(field).isTextual()) {
                return json.path(field).asText();
            }
        }
        return "";
    }

    /** The {@code identity} of the request, empty when it has none. */
    public String identity() {
        return json == null ? "" : json.path("identity").asText("");
    }

    @Override
    public String toString() {
        return method + " " + status + (errorCode == null ? "" : " " + errorCode) + " at " + receivedAt
                + (json == null ? "" : " " + json) + (claims == null ? " (no valid token)" : " by " + claims.apiKey());
    }
}
