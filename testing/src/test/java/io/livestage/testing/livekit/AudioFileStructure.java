package io.livestage.testing.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads recorded files back the way a demuxer does, written from the format specifications rather than from
 * {@link SilentAudioFiles}: MPEG audio frame headers (ISO 11172-3 §2.4.1.3), Ogg pages (RFC 3533) with a bitwise
 * CRC and Opus headers (RFC 7845), ISO BMFF boxes (ISO 14496-12) of an AAC track.
 */
final class AudioFileStructure {

    private static final int[] MPEG1_L3_KBPS = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1 };
    private static final int[] MPEG1_RATES = { 44100, 48000, 32000, -1 };

    private AudioFileStructure() {
    }

    record Mp3(long frames, int sampleRate, int bitrateKbps, long bytes) {
        long durationNanos() {
            return frames * 1152 * 1_000_000_000L / sampleRate;
        }
    }

    /** Walks every frame from the first byte to the last; fails on a bad sync word or a truncated frame. */
    static Mp3 mp3(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int offset = 0;
        long frames = 0;
        int rate = -1;
        int kbps = -1;
        while (offset < bytes.length) {
            assertThat(bytes.length - offset).as("header at %d", offset).isGreaterThanOrEqualTo(4);
            int b1 = bytes[offset + 1] & 0xFF;
            int b2 = bytes[offset + 2] & 0xFF;
            assertThat(bytes[offset] & 0xFF).as("sync at %d", offset).isEqualTo(0xFF);
            assertThat(b1 & 0xE0).as("sync at %d", offset).isEqualTo(0xE0);
            assertThat((b1 >> 3) & 0x3).as("MPEG-1 at %d", offset).isEqualTo(3);
            assertThat((b1 >> 1) & 0x3).as("Layer III at %d", offset).isEqualTo(1);
            int frameKbps = MPEG1_L3_KBPS[b2 >> 4];
            int frameRate = MPEG1_RATES[(b2 >> 2) & 0x3];
            assertThat(frameKbps).as("bitrate at %d", offset).isPositive();
            assertThat(frameRate).as("sample rate at %d", offset).isPositive();
            if (frames == 0) {
                rate = frameRate;
                kbps = frameKbps;
            }
            assertThat(frameRate).isEqualTo(rate);
            int length = 144 * frameKbps * 1000 / frameRate + ((b2 >> 1) & 0x1);
            assertThat(offset + length).as("frame at %d complete", offset).isLessThanOrEqualTo(bytes.length);
            offset += length;
            frames++;
        }
        return new Mp3(frames, rate, kbps, bytes.length);
    }

    record OggOpus(int channels, long pages, long lastGranule, int preSkip, long bytes) {
        long durationNanos() {
            return (lastGranule - preSkip) * 1_000_000_000L / 48_000;
        }
    }

    /** Checks every page's capture pattern, sequence and CRC, the OpusHead/OpusTags headers, BOS and EOS. */
    static OggOpus oggOpus(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int offset = 0;
        long pages = 0;
        long granule = 0;
        int channels = 0;
        int preSkip = 0;
        int lastFlags = 0;
        while (offset < bytes.length) {
            assertThat(new String(bytes, offset, 4, StandardCharsets.US_ASCII)).as("page at %d", offset)
                    .isEqualTo("OggS");
            ByteBuffer header = ByteBuffer.wrap(bytes, offset, 27).order(ByteOrder.LITTLE_ENDIAN);
            int flags = bytes[offset + 5] & 0xFF;
            granule = header.getLong(offset + 6);
            int sequence = header.getInt(offset + 18);
            int crc = header.getInt(offset + 22);
            int segments = bytes[offset + 26] & 0xFF;
            int bodyLength = 0;
            for (int i = 0; i < segments; i++) {
                bodyLength += bytes[offset + 27 + i] & 0xFF;
            }
            int pageLength = 27 + segments + bodyLength;
            byte[] page = Arrays.copyOfRange(bytes, offset, offset + pageLength);
            Arrays.fill(page, 22, 26, (byte) 0);
            assertThat(crc).as("CRC of page %d", pages).isEqualTo(crc(page));
            assertThat(sequence).isEqualTo((int) pages);
            assertThat((flags & 0x02) != 0).as("BOS only on the first page").isEqualTo(pages == 0);
            int body = offset + 27 + segments;
            if (pages == 0) {
                assertThat(new String(bytes, body, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
                channels = bytes[body + 9] & 0xFF;
                preSkip = ByteBuffer.wrap(bytes, body + 10, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            } else if (pages == 1) {
                assertThat(new String(bytes, body, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusTags");
            }
            lastFlags = flags;
            offset += pageLength;
            pages++;
        }
        assertThat(lastFlags & 0x04).as("EOS on the last page").isEqualTo(0x04);
        return new OggOpus(channels, pages, granule, preSkip, bytes.length);
    }

    record Mp4(String brand, int channels, int sampleRate, long samples, long frames, long bytes) {
        long durationNanos() {
            return samples * 1_000_000_000L / sampleRate;
        }
    }

    /**
     * Checks that the top-level boxes fill the file, that the sample table (one chunk) points exactly at mdat's
     * payload and that the track is AAC ({@code mp4a}); returns the track's timing.
     */
    static Mp4 mp4(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int offset = 0;
        while (offset < bytes.length) {
            assertThat(bytes.length - offset).as("box header at %d", offset).isGreaterThanOrEqualTo(8);
            int size = buffer.getInt(offset);
            assertThat(size).as("box size at %d", offset).isGreaterThanOrEqualTo(8);
            offset += size;
        }
        assertThat(offset).as("top-level boxes fill the file").isEqualTo(bytes.length);
        int ftyp = payload(bytes, 0, bytes.length, "ftyp");
        int stbl = payload(bytes, "moov", "trak", "mdia", "minf", "stbl");
        int mdhd = payload(bytes, "moov", "trak", "mdia", "mdhd");
        int stsd = payload(bytes, stbl, end(bytes, stbl), "stsd");
        int stts = payload(bytes, stbl, end(bytes, stbl), "stts");
        int stsz = payload(bytes, stbl, end(bytes, stbl), "stsz");
        int stco = payload(bytes, stbl, end(bytes, stbl), "stco");
        int mdat = payload(bytes, 0, bytes.length, "mdat");

        int timescale = buffer.getInt(mdhd + 12);
        long duration = buffer.getInt(mdhd + 16) & 0xFFFFFFFFL;
        assertThat(new String(bytes, stsd + 12, 4, StandardCharsets.US_ASCII)).as("sample entry").isEqualTo("mp4a");
        int channels = buffer.getShort(stsd + 8 + 8 + 16) & 0xFFFF;
        int entryRate = buffer.getInt(stsd + 8 + 8 + 24) >>> 16;
        assertThat(entryRate).isEqualTo(timescale);
        long frames = buffer.getInt(stsz + 8) & 0xFFFFFFFFL;
        int sampleSize = buffer.getInt(stsz + 4);
        assertThat(buffer.getInt(stts + 4)).as("stts entries").isEqualTo(1);
        assertThat(buffer.getInt(stts + 8) * (long) buffer.getInt(stts + 12)).as("stts covers the track")
                .isEqualTo(duration);
        assertThat(buffer.getInt(stts + 8)).isEqualTo((int) frames);
        assertThat(buffer.getInt(stco + 4)).as("one chunk").isEqualTo(1);
        assertThat(buffer.getInt(stco + 8)).as("the chunk starts at mdat's payload").isEqualTo(mdat);
        assertThat(end(bytes, mdat) - mdat).as("mdat holds every sample").isEqualTo(frames * sampleSize);
        return new Mp4(new String(bytes, ftyp, 4, StandardCharsets.US_ASCII), channels, timescale, duration, frames,
                bytes.length);
    }

    /** The payload offset of the box reached through nested container boxes from the top level. */
    private static int payload(byte[] bytes, String... path) {
        int from = 0;
        int to = bytes.length;
        for (String type : path) {
            from = payload(bytes, from, to, type);
            to = end(bytes, from);
        }
        return from;
    }

    /** The payload offset of the first box of {@code type} among the siblings in [from, to). */
    private static int payload(byte[] bytes, int from, int to, String type) {
        for (int offset = from; offset + 8 <= to; offset += ByteBuffer.wrap(bytes).getInt(offset)) {
            if (new String(bytes, offset + 4, 4, StandardCharsets.US_ASCII).equals(type)) {
                return offset + 8;
            }
        }
        throw new AssertionError("no " + type + " box");
    }

    private static int end(byte[] bytes, int payload) {
        return payload - 8 + ByteBuffer.wrap(bytes).getInt(payload - 8);
    }

    /** Ogg's CRC-32 (polynomial 0x04C11DB7, MSB first, no reflection, no final XOR), one bit at a time. */
    private static int crc(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = crc < 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }
}
