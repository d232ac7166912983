package io.livestage.recording.streaming.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything the stream status of one session is made of, read in one query: the session (projection), its stream
 * (quality, stream egress), its OBS ingress, who is connected, whether a recording is still finishing, and its
 * restreams.
 */
public record StreamRow(UUID sessionId, String hostId, String kind, String visibility, String sessionStatus,
        Instant startedAt, Instant endedAt, long version, Quality quality, int audioBitrateKbps,
        String broadcastStatus, String broadcastError, Instant hlsStartedAt, Instant hlsEndedAt, long segmentCount,
        Ingress ingress, long viewers, long guests, boolean recordingFinishing, List<Restream> restreams) {

    /** The OBS ingress as LiveKit last reported it (no key). */
    public record Ingress(String ingressId, String state, String error, Long videoBitrate, Long audioBitrate,
            Integer width, Integer height, Double framerate, Instant startedAt, int errors) {

        public boolean connected() {
            return "ENDPOINT_PUBLISHING".equals(state) || "ENDPOINT_BUFFERING".equals(state);
        }
    }

    public boolean video() {
        return "VIDEO".equals(kind);
    }

    public boolean live() {
        return "ACTIVE".equals(sessionStatus);
    }

    public boolean broadcastRunning() {
        return "PENDING".equals(broadcastStatus) || "STARTING".equals(broadcastStatus)
                || "ACTIVE".equals(broadcastStatus) || "ENDING".equals(broadcastStatus);
    }
}
