package io.livestage.testing.livekit;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;

import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.SegmentsInfo;
import livekit.LivekitEgress.StreamInfo;
import livekit.LivekitEgress.StreamInfoList;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;

/**
 * One egress of the stub: its {@link EgressInfo} as LiveKit's store keeps it, and what the simulated worker needs to
 * record it. Mutated only under the {@link EgressRecorder}'s monitor.
 */
final class EgressJob {

    /** The file types egress writes, with their forced extensions (pkg/types FileExtensionForOutputType). */
    enum FileKind {
        MP3(".mp3"), OGG(".ogg"), MP4(".mp4");

        final String extension;

        FileKind(String extension) {
            this.extension = extension;
        }
    }

    static final int DEFAULT_BITRATE_KBPS = 128;
    static final int DEFAULT_FREQUENCY = 44100;
    /** pkg/types TrackOutputTypes: these track codecs are written as OGG. */
    private static final List<String> OGG_TRACK_CODECS = List.of("audio/opus", "audio/red", "audio/pcmu", "audio/pcma");

    final EgressInfo.Builder info;
    final String requestedPath;
    final boolean disableManifest;
    final Map<String, String> replacements;
    final ZonedDateTime createdAt;
    /** The published track of a track egress (null: not published, or a room composite). */
    final TrackInfo track;
    final String publisher;
    FileKind kind;
    int bitrateKbps = DEFAULT_BITRATE_KBPS;
    int frequency = DEFAULT_FREQUENCY;
    boolean held;
    String failure;
    long activeAtNanos;
    long eosAtNanos;
    /** Whether the egress has a file output ({@code file_results[0]}). */
    boolean fileOutput;
    /** The HLS output, or null. */
    EgressSegments segments;
    /** Whether the egress has a stream output (possibly without URLs yet). */
    boolean streamOutput;
    /** Every stream URL ever added, in {@code stream_results} order; the full URLs stay here, never in the info. */
    final List<Stream> streams = new ArrayList<>();
    /** The periodic segment writer while ACTIVE, or null. */
    Future<?> segmentTicker;
    /** Wall-clock interval between two segments (the {@code segment_duration} unless a test shortens it). */
    long segmentIntervalNanos;
    /** Unix nanoseconds when the last segment was written (or the egress became ACTIVE). */
    long lastSegmentAtNanos;

    /** A stream URL of the egress and the index of its {@code stream_results} entry. */
    record Stream(EgressStreams.StreamUrl url, int result) {
    }

    EgressJob(EgressInfo.Builder info, String requestedPath, boolean disableManifest, Map<String, String> replacements,
            ZonedDateTime createdAt, TrackInfo track, String publisher) {
        this.info = info;
        this.requestedPath = requestedPath;
        this.disableManifest = disableManifest;
        this.replacements = replacements;
        this.createdAt = createdAt;
        this.track = track;
        this.publisher = publisher;
    }

    String id() {
        return info.getEgressId();
    }

    EgressStatus status() {
        return info.getStatus();
    }

    boolean terminal() {
        return info.getStatusValue() >= EgressStatus.EGRESS_COMPLETE_VALUE;
    }

    FileInfo.Builder file() {
        return info.getFileResultsBuilder(0);
    }

    SegmentsInfo.Builder segmentsInfo() {
        return info.getSegmentResultsBuilder(0);
    }

    StreamInfo.Builder streamInfo(Stream stream) {
        return info.getStreamResultsBuilder(stream.result());
    }

    /** The streams still sending (status ACTIVE). */
    List<Stream> activeStreams() {
        return streams.stream().filter(s -> info.getStreamResults(s.result()).getStatus() == StreamInfo.Status.ACTIVE)
                .toList();
    }

    /** The controller's OutputCount: the file, the segments and every active stream. */
    int outputCount() {
        return (fileOutput ? 1 : 0) + (segments != null ? 1 : 0) + activeStreams().size();
    }

    /**
     * The info as the API answers it. The deprecated single result mirrors the only kind of output when there is
     * one kind (pkg/config/output.go): {@code file}, {@code segments} or {@code stream}.
     */
    EgressInfo snapshot() {
        info.clearResult();
        if (fileOutput && segments == null && !streamOutput) {
            info.setFile(info.getFileResults(0));
        } else if (segments != null && !fileOutput && !streamOutput) {
            info.setSegments(info.getSegmentResults(0));
        } else if (streamOutput && !fileOutput && segments == null) {
            info.setStream(StreamInfoList.newBuilder().addAllInfo(info.getStreamResultsList()));
        }
        return info.build();
    }

    /**
     * Track egress, once subscribed: the file type and name follow the track (track_worker.go), or the reason the
     * egress fails.
     */
    String subscribeTrack() {
        if (track == null) {
            return "track " + info.getTrack().getTrackId() + " not found";
        }
        String mime = track.getMimeType().toLowerCase(Locale.ROOT);
        if (track.getType() != TrackType.AUDIO || !(mime.isEmpty() || OGG_TRACK_CODECS.contains(mime))) {
            return "the LiveKit stub records audio tracks only, not " + track.getMimeType();
        }
        kind = FileKind.OGG;
        Map<String, String> subscribed = new LinkedHashMap<>(replacements);
        subscribed.put("{track_id}", track.getSid());
        subscribed.put("{track_type}", track.getType().name().toLowerCase(Locale.ROOT));
        subscribed.put("{track_source}", track.getSource().name().toLowerCase(Locale.ROOT));
        subscribed.put("{publisher_identity}", publisher);
        file().setFilename(EgressFilepaths.storagePath(requestedPath, subscribed, track.getSid(), kind.extension,
                createdAt));
        return null;
    }

    /** Unix nanoseconds, egress' clock for every timestamp. */
    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
