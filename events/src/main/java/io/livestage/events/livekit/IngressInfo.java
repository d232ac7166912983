package io.livestage.events.livekit;

import java.time.Instant;
import java.util.Map;

import static io.livestage.events.livekit.ProtoJson.decimal;
import static io.livestage.events.livekit.ProtoJson.number;
import static io.livestage.events.livekit.ProtoJson.object;
import static io.livestage.events.livekit.ProtoJson.text;
import static io.livestage.events.livekit.ProtoJson.time;

/**
 * A typed view of LiveKit's {@code IngressInfo} as {@link LiveKitWebhookReceived#ingressInfo()} (and the Ingress
 * service) carries it: protojson, zero values omitted (no {@code state.status} means {@code ENDPOINT_INACTIVE}), times
 * in Unix nanoseconds. The stream key is deliberately not part of it: token-service removes it before the webhook
 * reaches Kafka, and nothing that reads this view needs it.
 *
 * @param video the video LiveKit receives ({@code state.video}): null until it does
 * @param audio the audio it receives ({@code state.audio}): null until it does
 */
public record IngressInfo(String ingressId, String name, String url, String roomName, String participantIdentity,
        Status status, String error, Media video, Media audio, Instant startedAt, Instant endedAt,
        Instant updatedAt) {

    /** LiveKit's {@code IngressState.Status}, numbered as in its protobuf. */
    public enum Status {
        ENDPOINT_INACTIVE,
        ENDPOINT_BUFFERING,
        ENDPOINT_PUBLISHING,
        ENDPOINT_ERROR,
        ENDPOINT_COMPLETE;

        static Status parse(Object value) {
            if (value == null) {
                return ENDPOINT_INACTIVE;
            }
            if (value instanceof Number n) {
                return values()[n.intValue()];
            }
            return valueOf(value.toString());
        }
    }

    /**
     * What the encoder sends as LiveKit measures it: {@code averageBitrate} in bits per second; {@code width},
     * {@code height}, {@code framerate} for video, {@code channels}, {@code sampleRate} for audio (0 when absent).
     */
    public record Media(String mimeType, long averageBitrate, int width, int height, double framerate, int channels,
            int sampleRate) {
    }

    /** Reads LiveKit's JSON object (maps, lists, strings and numbers). */
    public static IngressInfo of(Map<String, Object> json) {
        if (json == null) {
            throw new IllegalArgumentException("No ingressInfo");
        }
        Map<String, Object> state = json.get("state") instanceof Map<?, ?> m ? object(m) : Map.of();
        return new IngressInfo(text(json, "ingressId"), text(json, "name"), text(json, "url"), text(json, "roomName"),
                text(json, "participantIdentity"), Status.parse(state.get("status")), text(state, "error"),
                media(state.get("video")), media(state.get("audio")), time(state, "startedAt"),
                time(state, "endedAt"), time(state, "updatedAt"));
    }

    /** LiveKit receives the stream and publishes it into the room. */
    public boolean publishing() {
        return status == Status.ENDPOINT_PUBLISHING || status == Status.ENDPOINT_BUFFERING;
    }

    private static Media media(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Object> m = object(map);
        return new Media(text(m, "mimeType"), number(m, "averageBitrate"), (int) number(m, "width"),
                (int) number(m, "height"), decimal(m, "framerate"), (int) number(m, "channels"),
                (int) number(m, "sampleRate"));
    }
}
