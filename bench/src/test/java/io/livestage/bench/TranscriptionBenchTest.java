package io.livestage.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import io.livestage.bench.TranscriptionLoad.Group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscriptionBenchTest {
    private static final long MS = 1_000_000L;

    @Test
    void badKnobsAreRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> scenario("--sessions=101")).hasMessageContaining("sessions");
        assertThatThrownBy(() -> scenario("--chunk=15ms")).hasMessageContaining("chunk");
        assertThatThrownBy(() -> scenario("--rounds=0")).hasMessageContaining("rounds");
        assertThat(scenario("--warmup=20s", "--window=2s", "--floor-window=1s", "--rounds=5").budget())
                .isEqualTo(Duration.ofSeconds(2 * (20 + 15) + 12 + 8 * 60));
    }

    private static TranscriptionScenario scenario(String... args) {
        return new TranscriptionScenario(new io.livestage.bench.core.Knobs(List.of(args), Map.of()));
    }

    @Test
    void theRolesOnStageAreTheHostACohostThenGuests() {
        assertThat(TranscriptionScenario.speakerUser(0, 0)).isEqualTo("bench-tr-01-host");
        assertThat(TranscriptionScenario.speakerUser(24, 3)).isEqualTo("bench-tr-25-guest2");
        assertThat(List.of(0, 1, 2, 3).stream().map(TranscriptionScenario::speakerRole))
                .containsExactly("HOST", "COHOST", "GUEST", "GUEST");
    }

    /** A load without sockets: one measured window from 1 s to 2 s (nanoTime values made up). */
    private static TranscriptionLoad load(TranscriptionLoad.Window[] measured) {
        TranscriptionLoad load = new TranscriptionLoad(null, 3_200, 100 * MS, 100);
        load.plan(Group.SERVICE, "warm-up", 0, false, 1_000 * MS);
        measured[0] = load.plan(Group.SERVICE, "round 1 services", 1, true, 1_000 * MS);
        load.prepare();
        load.windows.get(0).start = 0;
        load.windows.get(0).end = 1_000 * MS;
        measured[0].start = 1_000 * MS;
        measured[0].end = 2_000 * MS;
        return load;
    }

    @Test
    void chunksAreMatchedByStreamAndByteOffsetAndOnlyMeasuredOnesCount() {
        TranscriptionLoad.Window[] w = new TranscriptionLoad.Window[1];
        TranscriptionLoad load = load(w);
        TranscriptionLoad.Speaker speaker = load.addSpeaker(Group.SERVICE, "session-1", "u", "t");
        load.byStream.put("stream-1", speaker);
        speaker.booked(0, 900 * MS, 900 * MS, 0); // warm-up
        speaker.booked(1, 1_000 * MS, 1_001 * MS, 1); // 1 ms late
        speaker.booked(2, 1_100 * MS, 1_100 * MS, 1);

        load.onAudio("stream-1", 0, 3_200, 901 * MS);
        load.onAudio("stream-1", 3_200, 3_200, 1_003 * MS); // 2 ms after its write, 3 ms after its intended time
        load.onAudio("stream-1", 6_400, 3_200, 1_100 * MS + 500_000);
        load.onAudio("nobody", 0, 3_200, 1_200 * MS);

        Histogram relay = TranscriptionLoad.snapshot(load.stats[1].relay);
        assertThat(relay.getTotalCount()).isEqualTo(2);
        assertThat(relay.getMaxValue()).isBetween(1_999L, 2_001L);
        assertThat(relay.getMinValue()).isBetween(499L, 501L);
        assertThat(TranscriptionLoad.snapshot(load.stats[1].intendedToStub).getMaxValue()).isBetween(2_999L, 3_002L);
        assertThat(TranscriptionLoad.snapshot(load.stats[0].relay).getTotalCount()).isZero();
        assertThat(load.stats[1].chunksAtStub.sum()).isEqualTo(2);
        assertThat(load.stats[1].chunksSent.sum()).isEqualTo(2);
        assertThat(load.unknownAudio.sum()).isEqualTo(1);
        assertThat(load.unalignedFrames.sum()).isZero();

        // a frame carrying two chunks at once: each chunk arrives with the frame holding its last byte
        speaker.booked(3, 1_200 * MS, 1_200 * MS, 1);
        speaker.booked(4, 1_300 * MS, 1_300 * MS, 1);
        load.onAudio("stream-1", 9_600, 6_400, 1_301 * MS);
        assertThat(load.stats[1].chunksAtStub.sum()).isEqualTo(4);
        assertThat(load.unalignedFrames.sum()).isZero();
        load.onAudio("stream-1", 16_000, 1_600, 1_400 * MS); // half a chunk, not written yet
        assertThat(load.unalignedFrames.sum()).isEqualTo(1);
        assertThat(load.unmatchedChunks.sum()).isZero();
    }

    @Test
    void captionsAreTimedFromTheStubsTranscriptEvenWhenTheyArriveBeforeTheHookRan() {
        TranscriptionLoad.Window[] w = new TranscriptionLoad.Window[1];
        TranscriptionLoad load = load(w);
        TranscriptionLoad.Speaker speaker = load.addSpeaker(Group.SERVICE, "session-1", "u", "t");
        load.byStream.put("stream-1", speaker);
        TranscriptionLoad.Viewer one = load.addViewer("session-1", 0, "t1");
        TranscriptionLoad.Viewer two = load.addViewer("session-1", 1, "t2");
        one.onText("{\"v\":1,\"type\":\"welcome\"}");
        two.onText("{\"v\":1,\"type\":\"welcome\"}");
        speaker.booked(0, 1_000 * MS, 1_000 * MS, 1);
        load.onAudio("stream-1", 0, 3_200, 1_001 * MS); // the chunk that completes the utterance: window 1

        long now = System.nanoTime();
        load.onTranscript("stream-1", "00_00000000", false, "utterance", now - 5 * MS);
        String partial = caption("stream-1", "00_00000000", false);
        one.onText(partial);
        one.onText(partial); // the same frame twice at one viewer: a duplicate
        // the final's frame reaches viewer two before the stub's hook has run
        String fin = caption("stream-1", "00_00000000", true);
        two.onText(fin);
        load.onTranscript("stream-1", "00_00000000", true, "utterance 1", now - 10 * MS);

        // outside the window (the counted-at times are nanoTime now; the window ended at 2 s): reset its bounds
        TranscriptionLoad.WindowStats stats = load.stats[1];
        assertThat(stats.deliveries.sum()).isZero();
        w[0].start = now - 60_000 * MS;
        w[0].end = now;
        load.onTranscript("stream-1", "00_00000001", false, "u", now - 2 * MS);
        one.onText(caption("stream-1", "00_00000001", false));
        two.onText(caption("stream-1", "00_00000001", false));
        one.onText(caption("stream-1", "00_00000001", false));
        load.onTranscript("stream-1", "00_00000002", true, "u", now - 1 * MS);
        two.onText(caption("stream-1", "00_00000002", true)); // viewer one never gets it

        assertThat(stats.transcripts.sum()).isEqualTo(2);
        assertThat(stats.expectedDeliveries.sum()).isEqualTo(4);
        assertThat(stats.deliveries.sum()).isEqualTo(3);
        assertThat(stats.duplicates.sum()).isEqualTo(1);
        Histogram partials = TranscriptionLoad.snapshot(stats.captionPartial);
        assertThat(partials.getTotalCount()).isEqualTo(2);
        assertThat(partials.getMinValue()).isGreaterThanOrEqualTo(2_000);
        assertThat(TranscriptionLoad.snapshot(stats.captionFinal).getTotalCount()).isEqualTo(1);
        assertThat(load.unknownTranscripts()).isZero();
        two.onText(caption("stream-1", "never-sent", true));
        assertThat(load.unknownTranscripts()).isEqualTo(1);
    }

    @Test
    void earlyArrivalsAreCountedOnceTheStubsSideIsKnown() {
        TranscriptionLoad.Window[] w = new TranscriptionLoad.Window[1];
        TranscriptionLoad load = load(w);
        long now = System.nanoTime();
        w[0].start = now - 60_000 * MS;
        w[0].end = now + 60_000 * MS;
        TranscriptionLoad.Speaker speaker = load.addSpeaker(Group.SERVICE, "session-1", "u", "t");
        load.byStream.put("stream-1", speaker);
        TranscriptionLoad.Viewer viewer = load.addViewer("session-1", 0, "t1");
        viewer.onText("{\"v\":1,\"type\":\"welcome\"}");
        speaker.booked(0, now - 10 * MS, now - 10 * MS, 1);
        load.onAudio("stream-1", 0, 3_200, now - 9 * MS);

        viewer.onText(caption("stream-1", "00_00000007", true));
        assertThat(load.stats[1].deliveries.sum()).isZero();
        load.onTranscript("stream-1", "00_00000007", true, "u", now - 8 * MS);
        assertThat(load.stats[1].deliveries.sum()).isEqualTo(1);
        assertThat(TranscriptionLoad.snapshot(load.stats[1].captionFinal).getMaxValue()).isGreaterThanOrEqualTo(7_000);
    }

    private static String caption(String stream, String utterance, boolean isFinal) {
        return "{\"v\":1,\"type\":\"caption\",\"segment\":{\"sessionId\":\"session-1\",\"participantIdentity\":\"u\","
                + "\"streamId\":\"" + stream + "\",\"utteranceId\":\"" + utterance + "\",\"text\":\"x\",\"isFinal\":"
                + isFinal + "}}";
    }
}
