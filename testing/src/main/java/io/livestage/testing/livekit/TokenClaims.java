package io.livestage.testing.livekit;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The verified claims of the access token a caller presented, as LiveKit reads them.
 *
 * @param apiKey the {@code iss} claim: the API key whose secret verified the signature
 * @param identity {@code sub}, or {@code jti} when there is no {@code sub} (LiveKit's fallback); empty for server
 *        API tokens minted without identity
 * @param json every claim, e.g. {@code json().get("video")}
 */
public record TokenClaims(String apiKey, String identity, JsonNode json) {

    /** The {@code video} grant object, or a missing node. */
    public JsonNode video() {
        JsonNode video = json.get("video");
        return video == null ? MissingNode.getInstance() : video;
    }

    /** A boolean video grant such as {@code roomAdmin}, {@code roomCreate}, {@code roomList}; false when absent. */
    public boolean grant(String videoGrant) {
        JsonNode value = video().get(videoGrant);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    /** The {@code video.room} grant, empty when absent. */
    public String room() {
        return video().path("room").asText("");
    }

    public Instant expiresAt() {
        return Instant.ofEpochSecond(json.path("exp").asLong());
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
