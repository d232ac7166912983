package io.livestage.testing.livekit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;

import livekit.LivekitEgress.SegmentedFileOutput;
import livekit.LivekitEgress.SegmentedFileSuffix;
import livekit.LivekitEgress.SegmentsInfo;

/**
 * One HLS (segment) output of an egress, named and written like livekit/egress does it (pkg/config/output_segment.go
 * updatePrefixAndPlaylist, pkg/pipeline/builder/segment.go, pkg/pipeline/sink/segments.go and sink/m3u8/writer.go):
 * {@code <prefix>_00000.ts}, ... ({@link SilentMpegTs}) beside an EVENT playlist ({@code #EXT-X-PLAYLIST-TYPE:EVENT},
 * media sequence 0, every segment with its {@code #EXT-X-PROGRAM-DATE-TIME}) and, with {@code live_playlist_name},
 * a live playlist of the last 5 segments whose media sequence advances; both get {@code #EXT-X-ENDLIST} when the
 * egress ends. Segment files and playlists are replaced atomically, so a reader never sees half a file. Used only
 * from the egress worker thread.
 */
final class EgressSegments {

    static final int DEFAULT_SEGMENT_DURATION = 4;
    static final int LIVE_PLAYLIST_WINDOW = 5;
    private static final String EXTENSION = ".m3u8";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss");
    private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** The playlist's directory in storage ({@code "/out/hls/"}, or empty), ending in a slash. */
    final String storageDir;
    final String playlistFilename;
    /** Empty: no live playlist. */
    final String livePlaylistFilename;
    /** Relative to {@link #storageDir}; may hold a subdirectory. */
    final String segmentPrefix;
    final SegmentedFileSuffix suffix;
    final int segmentDuration;
    private int sampleRate = EgressJob.DEFAULT_FREQUENCY;

    private int nextIndex;
    private long framesWritten;
    private final StringBuilder entries = new StringBuilder();
    private final ArrayDeque<String> liveWindow = new ArrayDeque<>();
    private int liveMediaSequence;

    private EgressSegments(String storageDir, String playlistFilename, String livePlaylistFilename,
            String segmentPrefix, SegmentedFileSuffix suffix, int segmentDuration) {
        this.storageDir = storageDir;
        this.playlistFilename = playlistFilename;
        this.livePlaylistFilename = livePlaylistFilename;
        this.segmentPrefix = segmentPrefix;
        this.suffix = suffix;
        this.segmentDuration = segmentDuration;
    }

    /** What one segment added: its bytes and exact playing time. */
    record Segment(String filename, long size, long durationNanos) {
    }

    /**
     * The names egress derives from the request: templates replaced, the live playlist in the playlist's directory,
     * the segment prefix defaulting to the playlist name, the playlist name to {@code <identifier>-<time>}.
     */
    static EgressSegments of(SegmentedFileOutput output, Map<String, String> replacements, String identifier,
            ZonedDateTime now) {
        String prefix = EgressFilepaths.replace(EgressFilepaths.clean(output.getFilenamePrefix()), replacements);
        String playlist = EgressFilepaths.replace(EgressFilepaths.clean(output.getPlaylistName()), replacements);
        String live = EgressFilepaths.replace(EgressFilepaths.clean(output.getLivePlaylistName()), replacements);
        String playlistDir = dir(playlist);
        String playlistName = base(playlist);
        String liveDir = dir(live);
        String liveName = base(live);
        String segmentDir = dir(prefix);
        String segmentPrefix = base(prefix);
        if (!liveDir.isEmpty() && !liveDir.equals(playlistDir)) {
            throw invalidField("live_playlist_name must be in same directory as playlist_name");
        }
        playlistName = removeExtension(playlistName);
        liveName = removeExtension(liveName);
        if (!segmentDir.isEmpty()) {
            if (playlistDir.equals(segmentDir)) {
                segmentDir = "";
            } else if (playlistDir.isEmpty()) {
                playlistDir = segmentDir;
                segmentDir = "";
            }
        }
        if (playlistName.isEmpty()) {
            playlistName = !segmentPrefix.isEmpty() ? segmentPrefix
                    : identifier + "-" + NAME_TIME.format(now.withZoneSameInstant(ZoneOffset.UTC));
        }
        if (segmentPrefix.isEmpty()) {
            segmentPrefix = playlistName;
        }
        String playlistFilename = playlistName + EXTENSION;
        String liveFilename = liveName.isEmpty() ? "" : liveName + EXTENSION;
        if (playlistFilename.equals(liveFilename)) {
            throw invalidField("live_playlist_name cannot be identical to playlist_name");
        }
        int duration = output.getSegmentDuration() == 0 ? DEFAULT_SEGMENT_DURATION : output.getSegmentDuration();
        return new EgressSegments(playlistDir, playlistFilename, liveFilename, segmentDir + segmentPrefix,
                output.getFilenameSuffix(), duration);
    }

    /** The result egress reports before any segment: the playlist names. */
    SegmentsInfo.Builder initialInfo() {
        SegmentsInfo.Builder info = SegmentsInfo.newBuilder().setPlaylistName(storagePath(playlistFilename));
        if (!livePlaylistFilename.isEmpty()) {
            info.setLivePlaylistName(storagePath(livePlaylistFilename));
        }
        return info;
    }

    void sampleRate(int rate) {
        this.sampleRate = SilentAudioFiles.AAC_SAMPLE_RATES.contains(rate) ? rate : EgressJob.DEFAULT_FREQUENCY;
    }

    String playlistLocation() {
        return EgressVolumes.location(storagePath(playlistFilename));
    }

    String livePlaylistLocation() {
        return livePlaylistFilename.isEmpty() ? "" : EgressVolumes.location(storagePath(livePlaylistFilename));
    }

    /** Frames in the next full segment (whole AAC frames, so the media clock stays on the segment grid). */
    long fullSegmentFrames() {
        long next = Math.round((nextIndex + 1L) * segmentDuration * (double) sampleRate
                / SilentAudioFiles.AAC_SAMPLES_PER_FRAME);
        return Math.max(1, next - framesWritten);
    }

    /** Media time written so far. */
    long writtenNanos() {
        return framesToNanos(framesWritten);
    }

    /**
     * Writes the next segment of {@code frames} AAC frames and updates the playlists; the segment starts
     * {@link #writtenNanos()} after {@code startedAtNanos} (the program date time).
     */
    Segment write(EgressVolumes volumes, long startedAtNanos, long frames) {
        long startNanos = startedAtNanos + writtenNanos();
        Instant start = Instant.ofEpochSecond(0, startNanos);
        String filename = suffix == SegmentedFileSuffix.TIMESTAMP
                ? segmentPrefix + "_" + SUFFIX_TIME.format(start.atZone(ZoneOffset.UTC))
                        + String.format(Locale.ROOT, "%03d", start.toEpochMilli() % 1000) + ".ts"
                : segmentPrefix + "_" + String.format(Locale.ROOT, "%05d", nextIndex) + ".ts";
        byte[] bytes = SilentMpegTs.segment(framesWritten, (int) frames, sampleRate);
        replace(volumes.hostPath(EgressVolumes.location(storagePath(filename))), bytes);
        long duration = framesToNanos(frames);
        String entry = "#EXT-X-PROGRAM-DATE-TIME:" + programDateTime(start) + "\n#EXTINF:"
                + String.format(Locale.ROOT, "%.3f", (float) (duration / 1e9)) + ",\n" + filename + "\n";
        nextIndex++;
        framesWritten += frames;
        entries.append(entry);
        writePlaylist(volumes, false);
        if (!livePlaylistFilename.isEmpty()) {
            liveWindow.addLast(entry);
            while (liveWindow.size() > LIVE_PLAYLIST_WINDOW) {
                liveWindow.removeFirst();
                liveMediaSequence++;
            }
            writeLivePlaylist(volumes, false);
        }
        return new Segment(filename, bytes.length, duration);
    }

    /** Closes the playlists: {@code #EXT-X-ENDLIST} in both. */
    void close(EgressVolumes volumes) {
        writePlaylist(volumes, true);
        if (!livePlaylistFilename.isEmpty()) {
            writeLivePlaylist(volumes, true);
        }
    }

    private void writePlaylist(EgressVolumes volumes, boolean end) {
        String text = header("EVENT") + "#EXT-X-MEDIA-SEQUENCE:0\n" + entries + (end ? "#EXT-X-ENDLIST\n" : "");
        replace(volumes.hostPath(playlistLocation()), text.getBytes(StandardCharsets.UTF_8));
    }

    private void writeLivePlaylist(EgressVolumes volumes, boolean end) {
        StringBuilder text = new StringBuilder(header(null)).append("#EXT-X-MEDIA-SEQUENCE:").append(liveMediaSequence)
                .append('\n');
        liveWindow.forEach(text::append);
        if (end) {
            text.append("#EXT-X-ENDLIST\n");
        }
        replace(volumes.hostPath(livePlaylistLocation()), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String header(String playlistType) {
        return "#EXTM3U\n#EXT-X-VERSION:4\n" + (playlistType == null ? "" : "#EXT-X-PLAYLIST-TYPE:" + playlistType + "\n")
                + "#EXT-X-ALLOW-CACHE:NO\n#EXT-X-TARGETDURATION:" + segmentDuration + "\n";
    }

    private long framesToNanos(long frames) {
        return frames * SilentAudioFiles.AAC_SAMPLES_PER_FRAME * 1_000_000_000L / sampleRate;
    }

    private String storagePath(String name) {
        return EgressFilepaths.clean(storageDir + name);
    }

    /** Go's {@code Format("2006-01-02T15:04:05.999Z07:00")} in UTC: milliseconds without trailing zeros. */
    static String programDateTime(Instant instant) {
        String seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(instant.atZone(ZoneOffset.UTC));
        int millis = (int) (instant.toEpochMilli() % 1000);
        String fraction = millis == 0 ? "" : ("." + String.format(Locale.ROOT, "%03d", millis)).replaceAll("0+$", "");
        return seconds + fraction + "Z";
    }

    /** Go's path.Split: the directory with its trailing slash, and the rest. */
    private static String dir(String path) {
        return path.substring(0, path.lastIndexOf('/') + 1);
    }

    private static String base(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** output_segment.go removeKnownExtension, as it behaves: whatever follows the last dot goes. */
    private static String removeExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static void replace(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LiveKitStub.TwirpError invalidField(String field) {
        return new LiveKitStub.TwirpError(400, "invalid_argument", "request has missing or invalid field: " + field);
    }
}
