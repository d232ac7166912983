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
 * {@link SilentAudioFiles}: MPEG audio frame headers (ISO 11172-3 §2.4.1.3) and Ogg pages (RFC 3533) with a bitwise
 * CRC, Opus headers (RFC 7845).
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
