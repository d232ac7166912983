package io.livestage.analytics.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.livestage.analytics.topology.Fact;
import io.livestage.events.analytics.SessionStats;

import static org.assertj.core.api.Assertions.assertThat;

/** The definitions of ADR 0016 on small cases computed by hand (times in seconds after 12:00:00 UTC). */
class StatsCalculatorTest {
    private static final long T0 = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final Duration GRACE = Duration.ofSeconds(60);

    private static long at(double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    private final List<Fact.Connection> connections = new ArrayList<>();
    private final List<Long> messages = new ArrayList<>();
    private final List<Fact.Reactions> reactions = new ArrayList<>();
    private final List<Fact.StageRequest> requests = new ArrayList<>();
    private final Map<String, Fact.Participant> participants = new LinkedHashMap<>();

    private void watch(String viewer, String device, String region, double from, Double to) {
        connections.add(new Fact.Connection(viewer, "VIEWER", device, region, at(from), to == null ? null : at(to)));
    }

    private SessionStats stats(double start, Double end, double now) {
        Fact.SessionMeta meta = new Fact.SessionMeta(1, "t", "host", null, at(start), end == null ? null : at(end));
        SessionFacts facts = new SessionFacts("s", meta, participants, requests, connections, messages, reactions);
        return StatsCalculator.compute(facts, Instant.ofEpochMilli(at(now)), GRACE);
    }

    @Test
    void aReconnectWithinTheGraceIsOneViewAndJustOutsideItTwo() {
        watch("a", "desktop", "DE", 0, 10.0);
        watch("a", "desktop", "DE", 70, 100.0); // gap 60 s = the grace: same view
        watch("b", "mobile", "FR", 0, 10.0);
        watch("b", "mobile", "FR", 70.001, 100.0); // gap 60.001 s: a new view
        SessionStats s = stats(0, 200.0, 300);
        assertThat(s.audience().uniqueViewers()).isEqualTo(2);
        assertThat(s.audience().views()).isEqualTo(3);
        // a: 10 + 30 = 40 s; b: 10 s and 29.999 s
        assertThat(s.audience().watchTimeMillis()).isEqualTo(40_000 + 10_000 + 29_999);
        assertThat(s.audience().averageViewMillis()).isEqualTo((79_999) / 3);
        assertThat(s.audience().medianViewMillis()).isEqualTo(29_999);
    }

    @Test
    void twoTabsAreNotDoubleTimeAndIntervalsAreClippedToTheLiveWindow() {
        watch("a", "desktop", null, -30, 50.0); // clipped to [0, 50)
        watch("a", "mobile", null, 20, 80.0);   // overlaps: union [0, 80)
        watch("c", "tv", "US", 150, null);      // open: until the end at 120 -> empty, not a viewer
        watch("d", "tv", "US", -50, -10.0);     // before the start: not a viewer
        SessionStats s = stats(0, 120.0, 500);
        assertThat(s.audience().uniqueViewers()).isEqualTo(1);
        assertThat(s.audience().views()).isEqualTo(1);
        assertThat(s.audience().watchTimeMillis()).isEqualTo(80_000);
        assertThat(s.audience().peakConcurrent()).isEqualTo(1);
        assertThat(s.audience().devices()).containsExactly(new SessionStats.Count("desktop", 1),
                new SessionStats.Count("mobile", 1));
        assertThat(s.audience().topRegions()).containsExactly(new SessionStats.Count("unknown", 1));
        assertThat(s.durationSeconds()).isEqualTo(120);
        assertThat(s.live()).isFalse();
        assertThat(s.audience().concurrent()).isZero();
    }

    @Test
    void aLeaveAndAJoinAtTheSameInstantDoNotRaiseThePeakAndThePeakAtIsTheFirstInstant() {
        watch("a", null, null, 0, 30.0);
        watch("b", null, null, 30, 90.0);  // joins as a leaves: still 1
        watch("c", null, null, 45, 50.0);  // 2 at 45 s
        watch("d", null, null, 60, 70.0);  // 2 again at 60 s
        SessionStats s = stats(0, null, 130);
        assertThat(s.audience().peakConcurrent()).isEqualTo(2);
        assertThat(s.audience().peakAt()).isEqualTo(Instant.ofEpochMilli(at(45)));
        assertThat(s.live()).isTrue();
        assertThat(s.audience().concurrent()).as("nobody is connected at 130 s").isZero();
        // minutes [0, 60), [60, 120), [120, 130): peaks 2, 2, 0
        assertThat(s.audience().concurrencyPerMinute()).extracting(SessionStats.Point::value).containsExactly(2L, 2L, 0L);
        assertThat(s.durationSeconds()).isEqualTo(130);
    }

    @Test
    void viewersWatchingNowCountWhileLive() {
        watch("a", null, null, 10, null);
        watch("b", null, null, 10, 20.0);
        watch("a", null, null, 15, null); // a second tab: still one viewer
        SessionStats s = stats(0, null, 100);
        assertThat(s.audience().concurrent()).isEqualTo(1);
        assertThat(s.audience().watchTimeMillis()).isEqualTo(90_000 + 10_000);
    }

    @Test
    void chatReactionsAndTheStageFunnelWithRatiosRoundedHalfUp() {
        watch("a", null, null, 0, 60.0);
        watch("b", null, null, 0, 60.0);
        watch("c", null, null, 0, 60.0);
        messages.addAll(List.of(at(1), at(59.999), at(61), at(-1))); // 61 s and -1 s are outside [0, 60)
        reactions.add(new Fact.Reactions(at(10), Map.of("heart", 2L, "clap", 1L)));
        reactions.add(new Fact.Reactions(at(60), Map.of("heart", 100L))); // outside
        requests.add(new Fact.StageRequest("a", true, true));
        requests.add(new Fact.StageRequest("a", true, false)); // a second hand of a
        requests.add(new Fact.StageRequest("b", true, true));
        participants.put("a", new Fact.Participant("a", 5, "GUEST", "A", 20, true));
        participants.put("b", new Fact.Participant("b", 6, "GUEST", "B", 10, false));
        participants.put("host", new Fact.Participant("host", 2, "HOST", "Host", 30, true));
        participants.put("co", new Fact.Participant("co", 9, "COHOST", "Co", 0, false));
        SessionStats s = stats(0, 60.0, 90);
        assertThat(s.chat().messages()).isEqualTo(2);
        assertThat(s.chat().perViewer()).isEqualTo(0.6667);
        assertThat(s.chat().perMinute()).extracting(SessionStats.Point::value).containsExactly(2L);
        assertThat(s.reactions().total()).isEqualTo(3);
        assertThat(s.reactions().byType()).containsExactlyInAnyOrderEntriesOf(Map.of("heart", 2L, "clap", 1L));
        assertThat(s.reactions().perViewerMinute()).isEqualTo(1.0); // 3 reactions / 3 viewer-minutes
        assertThat(s.stage().requests()).isEqualTo(3);
        assertThat(s.stage().approvals()).isEqualTo(2);
        assertThat(s.stage().raisedHands()).isEqualTo(2);
        assertThat(s.stage().approved()).isEqualTo(2);
        assertThat(s.stage().spoke()).as("the host spoke too, but was never approved").isEqualTo(1);
        assertThat(s.stage().participationRate()).isEqualTo(0.6667);
        // everyone on stage now, and whoever spoke before (a cohost with 0 s is listed with a 0 share)
        assertThat(s.stage().talkTime()).extracting(SessionStats.Speaker::userId)
                .containsExactly("host", "a", "b", "co");
        assertThat(s.stage().talkTime()).extracting(SessionStats.Speaker::share)
                .containsExactly(0.5, 0.3333, 0.1667, 0.0);
        StatsCalculator.Computed computed = StatsCalculator.computeWithViewers(new SessionFacts("s",
                new Fact.SessionMeta(1, "t", "host", null, at(0), at(60)), participants, requests, connections,
                messages, reactions), Instant.ofEpochMilli(at(90)), GRACE, 0);
        assertThat(computed.cohosts()).containsExactly("co");
        assertThat(computed.viewerKeys()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void nothingYetIsAllZeros() {
        SessionStats s = stats(0, null, 0);
        assertThat(s.audience().uniqueViewers()).isZero();
        assertThat(s.audience().peakAt()).isNull();
        assertThat(s.audience().medianViewMillis()).isZero();
        assertThat(s.chat().perViewer()).isZero();
        assertThat(s.reactions().perViewerMinute()).isZero();
        assertThat(s.audience().concurrencyPerMinute()).isEmpty();
    }

    @Test
    void ratiosRoundHalfUp() {
        assertThat(StatsCalculator.ratio(1, 8)).isEqualTo(0.125);
        assertThat(StatsCalculator.ratio(1, 3)).isEqualTo(0.3333);
        assertThat(StatsCalculator.ratio(2, 3)).isEqualTo(0.6667);
        assertThat(StatsCalculator.ratio(1, 20000)).isEqualTo(0.0001); // 0.00005 rounds up
        assertThat(StatsCalculator.ratio(5, 0)).isZero();
    }
}
