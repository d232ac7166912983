package io.livestage.testing.livekit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * An HLS media segment of silence as egress writes one (an MPEG-TS file with AAC audio), small but structurally valid
 * (ISO/IEC 13818-1): 188-byte packets starting with the sync byte {@code 0x47}; a PAT (program 1 → PMT PID 0x1000)
 * and a PMT (one ADTS AAC stream, {@code stream_type 0x0F}, PID 0x100, which also carries the PCR), both with their
 * CRC-32; then PES packets of four ADTS frames each (AAC-LC stereo, the 7-byte silent raw data block of
 * {@link SilentAudioFiles}), with a PTS on every PES and a PCR in the adaptation field of its first packet, at most
 * ~93 ms apart. PSI sections are followed by {@code 0xFF} fill, PES packets end in adaptation-field stuffing.
 * Continuity counters run per PID; timestamps continue from segment to segment.
 */
final class SilentMpegTs {

    static final int PACKET_SIZE = 188;
    static final int SYNC_BYTE = 0x47;
    static final int PMT_PID = 0x1000;
    static final int AUDIO_PID = 0x100;
    /** ADTS AAC (ISO/IEC 13818-7 audio with ADTS transport syntax). */
    static final int STREAM_TYPE_ADTS_AAC = 0x0F;
    private static final int FRAMES_PER_PES = 4;
    private static final int ADTS_HEADER = 7;
    private static final int[] CRC_TABLE = crcTable();

    private SilentMpegTs() {
    }

    /**
     * A segment of {@code frames} AAC frames at {@code sampleRate} whose first frame plays at {@code firstFrame}
     * (the number of frames before it since the stream started: the 90 kHz PTS follow from it).
     */
    static byte[] segment(long firstFrame, int frames, int sampleRate) {
        int rateIndex = SilentAudioFiles.AAC_SAMPLE_RATES.indexOf(sampleRate);
        if (rateIndex < 0) {
            throw new IllegalArgumentException("no AAC stream at " + sampleRate + " Hz here");
        }
        // AAC sampling frequency index (ISO 14496-3 Table 1.18): 96 kHz is 0, ... 32 kHz is 5, as listed.
        int frequencyIndex = rateIndex;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] continuity = new int[0x2000];
        packetize(out, 0, psi(patSection()), false, -1, continuity);
        packetize(out, PMT_PID, psi(pmtSection()), false, -1, continuity);
        byte[] frame = adtsFrame(frequencyIndex);
        for (int done = 0; done < frames; done += FRAMES_PER_PES) {
            int count = Math.min(FRAMES_PER_PES, frames - done);
            long pts = (firstFrame + done) * SilentAudioFiles.AAC_SAMPLES_PER_FRAME * 90_000L / sampleRate;
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (int i = 0; i < count; i++) {
                payload.writeBytes(frame);
            }
            packetize(out, AUDIO_PID, pes(pts, payload.toByteArray()), done == 0, pts, continuity);
        }
        return out.toByteArray();
    }

    /** An ADTS frame: a 7-byte header (MPEG-4, no CRC, AAC-LC, 2 channels) and the silent raw data block. */
    private static byte[] adtsFrame(int frequencyIndex) {
        byte[] raw = SilentAudioFiles.AAC_SILENT_STEREO;
        int length = ADTS_HEADER + raw.length;
        int profile = 1; // AAC LC (object type 2) - 1
        int channels = 2;
        byte[] frame = new byte[length];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xF1;
        frame[2] = (byte) ((profile << 6) | (frequencyIndex << 2) | (channels >> 2));
        frame[3] = (byte) (((channels & 3) << 6) | (length >> 11));
        frame[4] = (byte) ((length >> 3) & 0xFF);
        frame[5] = (byte) (((length & 7) << 5) | 0x1F);
        frame[6] = (byte) 0xFC;
        System.arraycopy(raw, 0, frame, ADTS_HEADER, raw.length);
        return frame;
    }

    private static byte[] patSection() {
        return new byte[] { 0x00, (byte) 0xB0, 13, 0x00, 0x01, (byte) 0xC1, 0x00, 0x00,
                0x00, 0x01, (byte) (0xE0 | (PMT_PID >> 8)), (byte) (PMT_PID & 0xFF) };
    }

    private static byte[] pmtSection() {
        return new byte[] { 0x02, (byte) 0xB0, 18, 0x00, 0x01, (byte) 0xC1, 0x00, 0x00,
                (byte) (0xE0 | (AUDIO_PID >> 8)), (byte) (AUDIO_PID & 0xFF), (byte) 0xF0, 0x00,
                STREAM_TYPE_ADTS_AAC, (byte) (0xE0 | (AUDIO_PID >> 8)), (byte) (AUDIO_PID & 0xFF), (byte) 0xF0, 0x00 };
    }

    /** A PSI payload: pointer field 0, the section, its CRC-32. */
    private static byte[] psi(byte[] section) {
        int crc = crc32(section);
        byte[] payload = new byte[1 + section.length + 4];
        System.arraycopy(section, 0, payload, 1, section.length);
        for (int i = 0; i < 4; i++) {
            payload[1 + section.length + i] = (byte) (crc >>> (24 - 8 * i));
        }
        return payload;
    }

    /** A PES packet of the audio stream (stream_id 0xC0) with a PTS. */
    private static byte[] pes(long pts, byte[] payload) {
        int length = 3 + 5 + payload.length;
        byte[] pes = new byte[6 + length];
        pes[2] = 0x01;
        pes[3] = (byte) 0xC0;
        pes[4] = (byte) (length >> 8);
        pes[5] = (byte) length;
        pes[6] = (byte) 0x84; // '10', data_alignment_indicator
        pes[7] = (byte) 0x80; // PTS only
        pes[8] = 5;
        pes[9] = (byte) (0x21 | ((pts >> 29) & 0x0E));
        pes[10] = (byte) (pts >> 22);
        pes[11] = (byte) (((pts >> 14) & 0xFE) | 1);
        pes[12] = (byte) (pts >> 7);
        pes[13] = (byte) (((pts << 1) & 0xFE) | 1);
        System.arraycopy(payload, 0, pes, 14, payload.length);
        return pes;
    }

    /**
     * Splits a payload unit into transport packets: the first with payload_unit_start_indicator (and a PCR when
     * {@code pcr >= 0}), the last padded with adaptation-field stuffing.
     */
    private static void packetize(ByteArrayOutputStream out, int pid, byte[] unit, boolean randomAccess, long pcr,
            int[] continuity) {
        int offset = 0;
        boolean first = true;
        while (offset < unit.length) {
            byte[] adaptation = first && pcr >= 0 ? pcrField(pcr, randomAccess) : new byte[0];
            int room = PACKET_SIZE - 4 - (adaptation.length == 0 ? 0 : adaptation.length + 1);
            int chunk = Math.min(room, unit.length - offset);
            // PSI sections are followed by 0xFF fill in the payload; PES packets are padded by adaptation stuffing.
            int stuffing = pid == AUDIO_PID ? room - chunk : 0;
            byte[] packet = new byte[PACKET_SIZE];
            packet[0] = (byte) SYNC_BYTE;
            packet[1] = (byte) ((first ? 0x40 : 0) | (pid >> 8));
            packet[2] = (byte) pid;
            boolean withAdaptation = adaptation.length > 0 || stuffing > 0;
            packet[3] = (byte) ((withAdaptation ? 0x30 : 0x10) | continuity[pid]);
            continuity[pid] = (continuity[pid] + 1) & 0x0F;
            int at = 4;
            if (withAdaptation) {
                int fieldLength;
                if (adaptation.length == 0) {
                    // Stuffing only: a length byte, then (if room) flags 0 and 0xFF bytes.
                    fieldLength = stuffing - 1;
                    packet[at++] = (byte) fieldLength;
                    if (fieldLength > 0) {
                        packet[at++] = 0;
                        for (int i = 1; i < fieldLength; i++) {
                            packet[at++] = (byte) 0xFF;
                        }
                    }
                } else {
                    fieldLength = adaptation.length + stuffing;
                    packet[at++] = (byte) fieldLength;
                    System.arraycopy(adaptation, 0, packet, at, adaptation.length);
                    at += adaptation.length;
                    for (int i = 0; i < stuffing; i++) {
                        packet[at++] = (byte) 0xFF;
                    }
                }
            }
            System.arraycopy(unit, offset, packet, at, chunk);
            Arrays.fill(packet, at + chunk, PACKET_SIZE, (byte) 0xFF);
            offset += chunk;
            first = false;
            out.writeBytes(packet);
        }
    }

    /** Adaptation field flags and a PCR (base in 90 kHz, extension 0). */
    private static byte[] pcrField(long base, boolean randomAccess) {
        return new byte[] { (byte) (0x10 | (randomAccess ? 0x40 : 0)), (byte) (base >> 25), (byte) (base >> 17),
                (byte) (base >> 9), (byte) (base >> 1), (byte) (((base & 1) << 7) | 0x7E), 0 };
    }

    /** CRC-32/MPEG-2: polynomial 0x04C11DB7, initial 0xFFFFFFFF, not reflected, no final XOR. */
    static int crc32(byte[] bytes) {
        int crc = 0xFFFFFFFF;
        for (byte b : bytes) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xFF];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
            table[i] = crc;
        }
        return table;
    }
}
