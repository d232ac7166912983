package io.livestage.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The HLS files the streaming benchmark serves: a media playlist and {@code count} MPEG-TS segments of sizes spread
 * evenly at random between {@code minBytes} and {@code maxBytes} (fixed seed, whole 188-byte packets, each packet
 * starting with the sync byte {@code 0x47}; the rest is random: serving does not look at it).
 */
record HlsSegments(String playlist, List<String> names, List<Long> sizes) {
    static final int PACKET = 188;
    static final byte SYNC = 0x47;
    /**
     * The playlist's name: not one the stream egress writes ({@code live.m3u8}, {@code index.m3u8}, which
     * recording-service serves as video on demand once the stream has ended), so the two never mix.
     */
    static final String PLAYLIST = "bench.m3u8";
    /** Seconds of media per segment, as the playlist declares it. */
    static final int TARGET_SECONDS = 2;

    /** The name of segment {@code i} (egress names its own {@code seg_<n>.ts}). */
    static String name(int i) {
        return String.format(Locale.ROOT, "bench-%05d.ts", i);
    }

    /** The sizes of {@code count} segments: whole packets between the bounds (fixed seed). */
    static List<Long> sizes(int count, long minBytes, long maxBytes) {
        SplittableRandom random = new SplittableRandom(188);
        long minPackets = Math.max(1, (minBytes + PACKET - 1) / PACKET);
        long maxPackets = Math.max(minPackets, maxBytes / PACKET);
        List<Long> sizes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sizes.add(PACKET * (minPackets + random.nextLong(maxPackets - minPackets + 1)));
        }
        return sizes;
    }

    /** The media playlist listing every segment (VOD-style, ended: the file does not change during the run). */
    static String playlist(List<String> names) {
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:")
                .append(TARGET_SECONDS).append("\n#EXT-X-MEDIA-SEQUENCE:0\n");
        for (String name : names) {
            m3u8.append("#EXTINF:").append(TARGET_SECONDS).append(".000,\n").append(name).append('\n');
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }

    /** Writes the playlist and the segments into {@code dir} (created when missing). */
    static HlsSegments write(Path dir, int count, long minBytes, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        List<Long> sizes = sizes(count, minBytes, maxBytes);
        List<String> names = new ArrayList<>(count);
        SplittableRandom random = new SplittableRandom(47);
        byte[] packet = new byte[PACKET];
        for (int i = 0; i < count; i++) {
            String name = name(i);
            names.add(name);
            try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
                for (long p = 0; p < sizes.get(i) / PACKET; p++) {
                    random.nextBytes(packet);
                    packet[0] = SYNC;
                    out.write(packet);
                }
            }
        }
        Files.writeString(dir.resolve(PLAYLIST), playlist(names), StandardCharsets.UTF_8);
        return new HlsSegments(PLAYLIST, List.copyOf(names), List.copyOf(sizes));
    }

    long totalBytes() {
        return sizes.stream().mapToLong(Long::longValue).sum();
    }

    double meanBytes() {
        return sizes.isEmpty() ? 0 : (double) totalBytes() / sizes.size();
    }
}
