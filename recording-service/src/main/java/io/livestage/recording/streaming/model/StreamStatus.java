package io.livestage.recording.streaming.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A session's live stream as everyone sees it ({@code GET /api/sessions/{id}/stream} and its server-sent events).
 * {@code status}: {@code live} while the session is, {@code processing} once it has ended while a recording or the
 * stream egress is still finishing, {@code offline} otherwise. {@code version} grows with every change (the SSE event
 * id). {@code targets} (each restream's state) only goes to the host; nothing here ever carries a stream key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamStatus(UUID sessionId, long version, String status, Instant startedAt, Instant endedAt,
        long liveDurationSeconds, long viewerCount, long guestCount, QualityInfo quality, Hls hls,
        String playbackUrl, Obs obs, Health health, List<Target> targets) {

    /** The encoding the stream egress uses (video fields absent for AUDIO sessions). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QualityInfo(String preset, Integer width, Integer height, Integer framerate, Integer videoBitrateKbps,
            int audioBitrateKbps) {
    }

    /**
     * The HLS output: {@code off} (no stream egress), {@code starting}, {@code live}, {@code ended} (the playlist is
     * video on demand), {@code failed}; {@code segments} written so far.
     */
    public record Hls(String status, long segments, boolean vod) {
    }

    /** The OBS ingest: whether one is configured, whether OBS is connected, and what LiveKit receives from it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Obs(boolean configured, boolean connected, String state, Long videoBitrateKbps, Long audioBitrateKbps,
            String resolution, Double framerate, String error, Instant connectedAt) {
    }

    /** Stream health: the ingest bitrate LiveKit measures, ingest errors, restream failures being retried. */
    public record Health(Long ingestBitrateKbps, int ingestErrors, int restreamRetries, int failedTargets) {
    }

    /** One restream target's state in this session (host only). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(UUID targetId, String name, TargetKind kind, String status, String error, int retries,
            Instant lastRetryAt, Instant startedAt) {
    }

    /**
     * The status of {@code row} at {@code now}; {@code host}: the view of the session's host (with the targets);
     * {@code hlsBase}: where playlists are served ({@code <public url>/hls/<session>/}).
     */
    public static StreamStatus of(StreamRow row, boolean host, String hlsBase, Instant now) {
        String status = row.live() ? "live"
                : row.endedAt() != null && (row.recordingFinishing() || row.broadcastRunning()) ? "processing"
                        : "offline";
        Instant end = row.live() ? now : row.endedAt();
        long duration = row.startedAt() == null || end == null ? 0
                : Math.max(0, Duration.between(row.startedAt(), end).toSeconds());
        Quality q = row.quality();
        QualityInfo quality = row.video()
                ? new QualityInfo(q.label(), q.width(), q.height(), q.framerate(), q.videoBitrateKbps(),
                        row.audioBitrateKbps())
                : new QualityInfo("audio", null, null, null, null, row.audioBitrateKbps());
        Hls hls = hls(row);
        String playbackUrl = null;
        if (!"PRIVATE".equals(row.visibility())) {
            if ("live".equals(hls.status()) || "starting".equals(hls.status())) {
                playbackUrl = hlsBase + "live.m3u8";
            } else if (hls.vod()) {
                playbackUrl = hlsBase + "index.m3u8";
            }
        }
        StreamRow.Ingress in = row.ingress();
        Obs obs = in == null ? new Obs(false, false, null, null, null, null, null, null, null)
                : new Obs(true, in.connected(), in.state(), kbps(in.videoBitrate()), kbps(in.audioBitrate()),
                        in.width() == null || in.width() == 0 ? null : in.width() + "x" + in.height(),
                        in.framerate() == null || in.framerate() == 0 ? null : in.framerate(), in.error(),
                        in.connected() ? in.startedAt() : null);
        int retries = 0;
        int failed = 0;
        for (Restream r : row.restreams()) {
            retries += r.retries();
            if (Restream.FAILED.equals(r.status()) || Restream.GAVE_UP.equals(r.status())) {
                failed++;
            }
        }
        Long ingest = in == null || !in.connected() ? null
                : sum(kbps(in.videoBitrate()), kbps(in.audioBitrate()));
        Health health = new Health(ingest, in == null ? 0 : in.errors(), retries, failed);
        List<Target> targets = host ? row.restreams().stream().map(r -> new Target(r.targetId(), r.name(), r.kind(),
                r.status(), r.error(), r.retries(), r.lastRetryAt(), r.startedAt())).toList() : null;
        return new StreamStatus(row.sessionId(), row.version(), status, row.startedAt(), row.endedAt(), duration,
                row.viewers(), row.guests(), quality, hls, playbackUrl, obs, health, targets);
    }

    private static Hls hls(StreamRow row) {
        String b = row.broadcastStatus();
        if (b == null) {
            return new Hls("off", 0, false);
        }
        return switch (b) {
            case "PENDING", "STARTING" -> new Hls("starting", row.segmentCount(), false);
            case "ACTIVE" -> new Hls("live", row.segmentCount(), false);
            case "ENDING" -> new Hls("ended", row.segmentCount(), false);
            case "COMPLETE" -> new Hls("ended", row.segmentCount(), row.segmentCount() > 0);
            case "ABORTED" -> new Hls("off", row.segmentCount(), false);
            default -> new Hls("failed", row.segmentCount(), row.segmentCount() > 0);
        };
    }

    private static Long kbps(Long bitsPerSecond) {
        return bitsPerSecond == null || bitsPerSecond == 0 ? null : Math.round(bitsPerSecond / 1000.0);
    }

    private static Long sum(Long a, Long b) {
        return a == null ? b : b == null ? a : a + b;
    }
}
