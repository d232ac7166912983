package io.livestage.testing.livekit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * Real, playable audio files of silence, written where the LiveKit stub's egress would write its recordings (no
 * encoder is needed: silence has a constant, tiny encoding).
 * <ul>
 * <li>MP3: MPEG-1 Layer III CBR frames, 1152 samples each, every frame a valid header (no CRC, stereo) followed by
 * zeroed side information and main data, which decodes to digital silence. Frame lengths follow the bitrate exactly
 * (the padding bit spreads the fractional byte, as encoders do), so size ≈ bitrate × duration.</li>
 * <li>OGG: Ogg Opus (RFC 7845): an {@code OpusHead} page (2 channels, 48 kHz, pre-skip 0), an {@code OpusTags} page,
 * then audio pages of one second each holding 20 ms packets {@code FC FF FE} (CELT fullband, stereo, one frame whose
 * range-coded silence flag is set), the usual Opus silence frame. Granule positions count 48 kHz samples.</li>
 * <li>MP4: AAC-LC stereo in an ISO BMFF file ({@code ftyp}, {@code moov} first, {@code mdat}), 1024-sample frames
 * that are each a 7-byte raw data block: a channel pair element whose two channels have no scale factor bands
 * ({@code max_sfb} 0), hence no spectral data, then {@code END}: silence. Its size says nothing about a bitrate.</li>
 * </ul>
 * The duration is a whole number of frames (26.12 ms at 44.1 kHz for MP3, 20 ms for Opus, 23.22 ms at 44.1 kHz for
 * AAC), at least one frame:
 * {@link Written#durationNanos()} is the exact duration of what was written.
 */
public final class SilentAudioFiles {

    /** MPEG-1 Layer III bitrates in kbit/s by header index (0 = free format, not used). */
    static final List<Integer> MP3_BITRATES = List.of(0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256,
            320);
    /** MPEG-1 sample rates by header index. */
    static final List<Integer> MP3_SAMPLE_RATES = List.of(44100, 48000, 32000);
    static final int MP3_SAMPLES_PER_FRAME = 1152;
    private static final int MP3_STEREO_SIDE_INFO = 32;

    static final int OPUS_RATE = 48_000;
    static final int OPUS_SAMPLES_PER_PACKET = 960;
    private static final byte[] OPUS_SILENCE = { (byte) 0xFC, (byte) 0xFF, (byte) 0xFE };
    private static final int OPUS_PACKETS_PER_PAGE = 50;
    private static final int OGG_BOS = 0x02;
    private static final int OGG_EOS = 0x04;
    private static final int[] OGG_CRC_TABLE = oggCrcTable();

    /** AAC sampling frequencies by AudioSpecificConfig index (ISO 14496-3 Table 1.18), those egress uses. */
    static final List<Integer> AAC_SAMPLE_RATES = List.of(96000, 88200, 64000, 48000, 44100, 32000);
    static final int AAC_SAMPLES_PER_FRAME = 1024;
    /** CPE(tag 0, common_window 0) with two empty ICS (global_gain 160, long window, max_sfb 0), END, byte-aligned. */
    static final byte[] AAC_SILENT_STEREO = { 0x20, (byte) 0xA0, 0x00, 0x02, (byte) 0x80, 0x00, 0x0E };
    private static final int[] IDENTITY_MATRIX = { 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000 };

    private SilentAudioFiles() {
    }

    /** What was written: bytes on disk and the exact playing time. */
    public record Written(Path path, long size, long durationNanos) {
    }

    /**
     * Writes an MP3 of about {@code duration} (rounded to whole frames, at least one).
     *
     * @param bitrateKbps an MPEG-1 Layer III bitrate (32, 40, ... 320)
     * @param sampleRate 32000, 44100 or 48000
     */
    public static Written writeMp3(Path path, Duration duration, int bitrateKbps, int sampleRate) {
        int bitrateIndex = MP3_BITRATES.indexOf(bitrateKbps);
        int rateIndex = MP3_SAMPLE_RATES.indexOf(sampleRate);
        if (bitrateIndex <= 0 || rateIndex < 0) {
            throw new IllegalArgumentException("no MPEG-1 Layer III frame at " + bitrateKbps + " kbit/s and "
                    + sampleRate + " Hz");
        }
        long frames = Math.max(1, Math.round(duration.toNanos() * (double) sampleRate / MP3_SAMPLES_PER_FRAME / 1e9));
        // Bytes per frame = 144 * bitrate / rate; the running total decides each frame's padding byte.
        long numerator = 144L * bitrateKbps * 1000;
        long base = numerator / sampleRate;
        byte[] frame = new byte[(int) base + 1];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[3] = 0x00;
        try (OutputStream out = open(path)) {
            for (long i = 0; i < frames; i++) {
                int length = (int) ((i + 1) * numerator / sampleRate - i * numerator / sampleRate);
                int padding = length - (int) base;
                frame[2] = (byte) ((bitrateIndex << 4) | (rateIndex << 2) | (padding << 1));
                out.write(frame, 0, length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        long durationNanos = frames * MP3_SAMPLES_PER_FRAME * 1_000_000_000L / sampleRate;
        return new Written(path, size(path), durationNanos);
    }

    /** Writes an Ogg Opus file of about {@code duration} (rounded to whole 20 ms packets, at least one). */
    public static Written writeOggOpus(Path path, Duration duration) {
        long packets = Math.max(1, Math.round(duration.toNanos() / 20_000_000.0));
        int serial = (int) (System.nanoTime() ^ path.hashCode());
        try (OutputStream out = open(path)) {
            int sequence = 0;
            out.write(oggPage(OGG_BOS, 0, serial, sequence++, List.of(opusHead())));
            out.write(oggPage(0, 0, serial, sequence++, List.of(opusTags())));
            long written = 0;
            while (written < packets) {
                int count = (int) Math.min(OPUS_PACKETS_PER_PAGE, packets - written);
                written += count;
                int flags = written == packets ? OGG_EOS : 0;
                out.write(oggPage(flags, written * OPUS_SAMPLES_PER_PACKET, serial, sequence++,
                        Collections.nCopies(count, OPUS_SILENCE)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        return new Written(path, size(path), packets * 20_000_000L);
    }

    /**
     * Writes an MP4 (AAC-LC, stereo) of about {@code duration} (rounded to whole frames, at least one).
     *
     * @param sampleRate 32000, 44100 or 48000
     */
    public static Written writeMp4Aac(Path path, Duration duration, int sampleRate) {
        int rateIndex = AAC_SAMPLE_RATES.indexOf(sampleRate);
        if (rateIndex < 3) {
            throw new IllegalArgumentException("no AAC stream at " + sampleRate + " Hz here");
        }
        long frames = Math.max(1, Math.round(duration.toNanos() * (double) sampleRate / AAC_SAMPLES_PER_FRAME / 1e9));
        byte[] ftyp = box("ftyp", ascii("isom"), ints(0x200), ascii("isomiso2mp41"));
        // The moov box's size does not depend on the chunk offset it holds: build it once to learn where mdat starts.
        int moovSize = moov(frames, sampleRate, rateIndex, 0).length;
        byte[] moov = moov(frames, sampleRate, rateIndex, ftyp.length + moovSize + 8);
        long mdatSize = 8 + frames * AAC_SILENT_STEREO.length;
        try (OutputStream out = open(path)) {
            out.write(ftyp);
            out.write(moov);
            out.write(ByteBuffer.allocate(8).putInt((int) mdatSize).put(ascii("mdat")).array());
            for (long i = 0; i < frames; i++) {
                out.write(AAC_SILENT_STEREO);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
        return new Written(path, size(path), frames * AAC_SAMPLES_PER_FRAME * 1_000_000_000L / sampleRate);
    }

    private static byte[] moov(long frames, int sampleRate, int rateIndex, long mdatPayloadOffset) {
        // Movie and media time scales are the sample rate, so every duration is exact.
        int samples = (int) (frames * AAC_SAMPLES_PER_FRAME);
        byte[] mvhd = fullBox("mvhd", 0, 0, ints(0, 0, sampleRate, samples, 0x00010000), shorts(0x0100, 0),
                new byte[8], ints(IDENTITY_MATRIX), new byte[24], ints(2));
        byte[] tkhd = fullBox("tkhd", 0, 7, ints(0, 0, 1, 0, samples), new byte[8], shorts(0, 0, 0x0100, 0),
                ints(IDENTITY_MATRIX), ints(0, 0));
        byte[] mdhd = fullBox("mdhd", 0, 0, ints(0, 0, sampleRate, samples), shorts(0x55C4, 0));
        byte[] hdlr = fullBox("hdlr", 0, 0, ints(0), ascii("soun"), new byte[12], ascii("SoundHandler\0"));
        byte[] dinf = box("dinf", fullBox("dref", 0, 0, ints(1), fullBox("url ", 0, 1)));
        int audioSpecificConfig = (2 << 11) | (rateIndex << 7) | (2 << 3);
        byte[] decoderSpecific = descriptor(0x05, shorts(audioSpecificConfig));
        byte[] decoderConfig = descriptor(0x04, new byte[] { 0x40, 0x15, 0, 0, 0 }, ints(0, 0), decoderSpecific);
        byte[] esds = fullBox("esds", 0, 0, descriptor(0x03, shorts(1), new byte[1], decoderConfig,
                descriptor(0x06, new byte[] { 0x02 })));
        byte[] mp4a = box("mp4a", new byte[6], shorts(1), new byte[8], shorts(2, 16, 0, 0), ints(sampleRate << 16),
                esds);
        byte[] stbl = box("stbl",
                fullBox("stsd", 0, 0, ints(1), mp4a),
                fullBox("stts", 0, 0, ints(1, (int) frames, AAC_SAMPLES_PER_FRAME)),
                fullBox("stsc", 0, 0, ints(1, 1, (int) frames, 1)),
                fullBox("stsz", 0, 0, ints(AAC_SILENT_STEREO.length, (int) frames)),
                fullBox("stco", 0, 0, ints(1, (int) mdatPayloadOffset)));
        byte[] minf = box("minf", fullBox("smhd", 0, 0, shorts(0, 0)), dinf, stbl);
        return box("moov", mvhd, box("trak", tkhd, box("mdia", mdhd, hdlr, minf)));
    }

    private static byte[] box(String type, byte[]... parts) {
        int size = 8;
        for (byte[] part : parts) {
            size += part.length;
        }
        ByteBuffer box = ByteBuffer.allocate(size).putInt(size).put(ascii(type));
        for (byte[] part : parts) {
            box.put(part);
        }
        return box.array();
    }

    private static byte[] fullBox(String type, int version, int flags, byte[]... parts) {
        byte[][] withHeader = new byte[parts.length + 1][];
        withHeader[0] = ints((version << 24) | flags);
        System.arraycopy(parts, 0, withHeader, 1, parts.length);
        return box(type, withHeader);
    }

    /** An MPEG-4 descriptor (ISO 14496-1 §8.3.3): tag, a one-byte size (all of these are short), payload. */
    private static byte[] descriptor(int tag, byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        ByteBuffer descriptor = ByteBuffer.allocate(2 + size).put((byte) tag).put((byte) size);
        for (byte[] part : parts) {
            descriptor.put(part);
        }
        return descriptor.array();
    }

    private static byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    private static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static OutputStream open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] opusHead() {
        return ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN)
                .put("OpusHead".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)              // version
                .put((byte) 2)              // channels
                .putShort((short) 0)        // pre-skip
                .putInt(OPUS_RATE)          // input sample rate (informational)
                .putShort((short) 0)        // output gain
                .put((byte) 0)              // channel mapping family 0: mono/stereo
                .array();
    }

    private static byte[] opusTags() {
        byte[] vendor = "livestage LiveKit stub".getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN)
                .put("OpusTags".getBytes(StandardCharsets.US_ASCII))
                .putInt(vendor.length).put(vendor)
                .putInt(0)                  // no user comments
                .array();
    }

    /** One Ogg page (RFC 3533) holding whole packets, each shorter than 255 bytes (one lacing value). */
    private static byte[] oggPage(int flags, long granule, int serial, int sequence, List<byte[]> packets) {
        int payload = packets.stream().mapToInt(packet -> packet.length).sum();
        ByteBuffer page = ByteBuffer.allocate(27 + packets.size() + payload).order(ByteOrder.LITTLE_ENDIAN)
                .put("OggS".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 0)
                .put((byte) flags)
                .putLong(granule)
                .putInt(serial)
                .putInt(sequence)
                .putInt(0)                  // CRC, filled in below
                .put((byte) packets.size());
        for (byte[] packet : packets) {
            if (packet.length >= 255) {
                throw new IllegalArgumentException("packet needs more than one lacing value");
            }
            page.put((byte) packet.length);
        }
        packets.forEach(page::put);
        byte[] bytes = page.array();
        ByteBuffer.wrap(bytes, 22, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(oggCrc(bytes));
        return bytes;
    }

    /** Ogg's CRC-32: polynomial 0x04C11DB7, initial value 0, not reflected, no final XOR. */
    static int oggCrc(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc = (crc << 8) ^ OGG_CRC_TABLE[((crc >>> 24) ^ (b & 0xFF)) & 0xFF];
        }
        return crc;
    }

    private static int[] oggCrcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            table[i] = r;
        }
        return table;
    }
}
