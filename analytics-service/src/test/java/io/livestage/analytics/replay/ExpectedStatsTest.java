package io.livestage.analytics.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.livestage.analytics.replay.SyntheticLog.Connection;
import io.livestage.analytics.replay.SyntheticLog.Message;
import io.livestage.analytics.replay.SyntheticLog.Outcome;
import io.livestage.analytics.replay.SyntheticLog.Participant;
import io.livestage.analytics.replay.SyntheticLog.Reaction;
import io.livestage.analytics.replay.SyntheticLog.Request;
import io.livestage.analytics.replay.SyntheticLog.SessionPlan;
import io.livestage.analytics.replay.SyntheticLog.Step;
import io.livestage.analytics.replay.SyntheticLog.StepKind;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.analytics.SessionStats.Count;
import io.livestage.events.analytics.SessionStats.Point;
import io.livestage.events.analytics.SessionStats.Speaker;
import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle on hand-made sessions whose answers are worked out by hand in the comments. */
class ExpectedStatsTest {
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final ParticipantRole VIEWER = ParticipantRole.VIEWER;

    private static Instant t(String hhmmss) {
        return Instant.parse("2026-12-05T" + hhmmss + "Z");
    }

    private static Connection conn(String id, String userId, String device, String region, String from, String to) {
        return new Connection(id, userId, VIEWER, device, region, t(from), to == null ? null : t(to));
    }

    private static SessionPlan session(Instant start, Instant end, List<Connection> connections) {
        return new SessionPlan("s1", "Title", "host", "space", start.minusSeconds(3600), start, end, connections,
                List.of(), List.of(), List.of(), List.of());
    }

    private static List<Point> points(String firstMinute, long... values) {
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new Point(t(firstMinute).plusSeconds(60L * i), values[i]));
        }
        return out;
    }

    private static Step step(String at, StepKind kind, ParticipantRole role, boolean muted, long seconds) {
        return new Step(t(at), kind, role, muted, seconds, null);
    }

    /**
     * Window [10:00, 10:10), ended.
     * <pre>
     * alice (signed in): a1 desktop DE [09:58, 10:02) -> clipped [10:00, 10:02)
     *                    a2 desktop DE [10:02:30, 10:04) -- reconnect 30 s later, inside the grace
     *                    a3 mobile  DE [10:03, 10:05)    -- a second tab overlapping a2
     *   merged [10:00, 10:02) and [10:02:30, 10:05), gap 30 s <= 60 s: one view of 120 + 150 = 270 s
     * bob (signed in):   b1 mobile US [10:01, 10:03), b2 mobile US [10:05, 10:06): gap 120 s > 60 s: two views,
     *                    120 s and 60 s
     * anonymous c1: tablet, no region, [10:09, no LEFT) -> [10:09, 10:10): one view, 60 s
     * anonymous c2: [10:10, 10:12) starts at the end: empty, ignored
     * dave: JOINED lost, only a LEFT: ignored; the host's HOST connection: not a viewer
     *
     * unique 3, views 4, watch 270 + 120 + 60 + 60 = 510 s; average 510000 / 4 = 127500;
     * median of 60000, 60000, 120000, 270000 = (60000 + 120000) / 2 = 90000
     * concurrency: 10:00 -> 1, 10:01 -> 2 (first peak), 10:02 -> 1, 10:02:30 -> 2, 10:03 -> 1,
     *              10:05 -> 1 (alice leaves as bob returns), 10:06 -> 0, 10:09 -> 1
     * per minute 10:00..10:09 (10:10 does not overlap [10:00, 10:10)): 1 2 2 1 1 1 0 0 0 1
     * devices: mobile {alice, bob} 2, desktop {alice} 1, tablet {c1} 1; regions DE 1, US 1, unknown 1
     * </pre>
     */
    @Test
    void viewsGraceTabsClippingAndTheMinuteSeries() {
        List<Connection> connections = List.of(
                conn("a1", "alice", "desktop", "DE", "09:58:00", "10:02:00"),
                conn("a2", "alice", "desktop", "DE", "10:02:30", "10:04:00"),
                conn("a3", "alice", "mobile", "DE", "10:03:00", "10:05:00"),
                conn("b1", "bob", "mobile", "US", "10:01:00", "10:03:00"),
                conn("b2", "bob", "mobile", "US", "10:05:00", "10:06:00"),
                conn("c1", null, "tablet", null, "10:09:00", null),
                conn("c2", null, null, "US", "10:10:00", "10:12:00"),
                new Connection("d1", "dave", VIEWER, "desktop", "FR", t("10:01:00"), t("10:02:00"), false),
                new Connection("h1", "host", ParticipantRole.HOST, "desktop", "US", t("09:55:00"), null));
        SessionStats stats = ExpectedStats.of(session(t("10:00:00"), t("10:10:00"), connections), t("11:00:00"),
                GRACE);

        SessionStats.Audience a = stats.audience();
        assertThat(a.uniqueViewers()).isEqualTo(3);
        assertThat(a.views()).isEqualTo(4);
        assertThat(a.watchTimeMillis()).isEqualTo(510_000);
        assertThat(a.averageViewMillis()).isEqualTo(127_500);
        assertThat(a.medianViewMillis()).isEqualTo(90_000);
        assertThat(a.concurrent()).isZero();
        assertThat(a.peakConcurrent()).isEqualTo(2);
        assertThat(a.peakAt()).isEqualTo(t("10:01:00"));
        assertThat(a.concurrencyPerMinute()).isEqualTo(points("10:00:00", 1, 2, 2, 1, 1, 1, 0, 0, 0, 1));
        assertThat(a.devices()).containsExactly(new Count("mobile", 2), new Count("desktop", 1),
                new Count("tablet", 1));
        assertThat(a.topRegions()).containsExactly(new Count("DE", 1), new Count("US", 1), new Count("unknown", 1));
        assertThat(stats.live()).isFalse();
        assertThat(stats.endedAt()).isEqualTo(t("10:10:00"));
        assertThat(stats.durationSeconds()).isEqualTo(600);
    }

    /**
     * Chat, reactions and the stage on the same window [10:00, 10:10) and audience (3 unique, 510 s watched).
     * <pre>
     * messages at 09:59:59.999 (out), 10:00:00.000 (in: the start is inside), 10:01:30, 10:01:45, 10:09:59.999,
     *   10:10:00.000 (out: the end is not) -> 4; per minute 1 2 0 0 0 0 0 0 0 1; per viewer 4 / 3 = 1.3333
     * bursts starting 10:00:00 {heart 3, clap 1}, 10:05:00 {heart 2}, 10:10:00 {fire 5} (out) -> 6, heart 5,
     *   clap 1; per viewer-minute 6 / (510000 / 60000 = 8.5) = 0.70588.. -> 0.7059
     * requests r1 alice (withdrawn), r2 alice (approved), r3 bob (rejected): requests 3, approvals 1,
     *   raised hands 2, approved 1, spoke 1 (alice unmuted as GUEST); participation 1 / 3 = 0.3333
     * talk: host 300 s, alice 100 s (largest of 0, 40, 100), carol (COHOST) 100 s, bob (VIEWER, 0 s) not on stage:
     *   sum 500 -> host 0.6, then the 100 s tie by user id: alice 0.2, carol 0.2
     * </pre>
     */
    @Test
    void chatReactionsAndTheStage() {
        List<Connection> connections = List.of(
                conn("a1", "alice", "desktop", "DE", "09:58:00", "10:02:00"),
                conn("a2", "alice", "desktop", "DE", "10:02:30", "10:04:00"),
                conn("a3", "alice", "mobile", "DE", "10:03:00", "10:05:00"),
                conn("b1", "bob", "mobile", "US", "10:01:00", "10:03:00"),
                conn("b2", "bob", "mobile", "US", "10:05:00", "10:06:00"),
                conn("c1", null, "tablet", null, "10:09:00", null));
        List<Message> messages = List.of(
                new Message("m1", "alice", "Alice", t("09:59:59.999")),
                new Message("m2", "alice", "Alice", t("10:00:00")),
                new Message("m3", "bob", "Bob", t("10:01:30")),
                new Message("m4", "bob", "Bob", t("10:01:45")),
                new Message("m5", "host", "Host", t("10:09:59.999")),
                new Message("m6", "host", "Host", t("10:10:00")));
        List<Reaction> reactions = List.of(
                new Reaction(t("10:00:00"), t("10:00:02"), Map.of("heart", 3L, "clap", 1L)),
                new Reaction(t("10:05:00"), t("10:05:02"), Map.of("heart", 2L)),
                new Reaction(t("10:10:00"), t("10:10:02"), Map.of("fire", 5L)));
        List<Request> requests = List.of(
                new Request("r1", "alice", "Alice", t("10:02:00"), Outcome.WITHDRAWN, t("10:02:10")),
                new Request("r2", "alice", "Alice", t("10:03:00"), Outcome.APPROVED, t("10:03:20")),
                new Request("r3", "bob", "Bob", t("10:03:00"), Outcome.REJECTED, t("10:03:30")));
        List<Participant> participants = List.of(
                new Participant("host", "Host", List.of(
                        step("09:59:00", StepKind.JOINED, ParticipantRole.HOST, true, 0),
                        step("10:04:00", StepKind.MEDIA, ParticipantRole.HOST, false, 300))),
                new Participant("alice", "Alice", List.of(
                        step("10:01:00", StepKind.JOINED, VIEWER, false, 0),
                        step("10:03:20", StepKind.APPROVED, ParticipantRole.GUEST, true, 0),
                        step("10:04:00", StepKind.MEDIA, ParticipantRole.GUEST, false, 40),
                        step("10:05:00", StepKind.LEFT, ParticipantRole.GUEST, false, 100))),
                new Participant("carol", "Carol", List.of(
                        step("10:00:00", StepKind.JOINED, ParticipantRole.COHOST, true, 0),
                        step("10:06:00", StepKind.MEDIA, ParticipantRole.COHOST, true, 100))),
                new Participant("bob", "Bob", List.of(
                        step("10:01:00", StepKind.JOINED, VIEWER, false, 0))));
        SessionPlan plan = new SessionPlan("s1", "Title", "host", null, t("09:00:00"), t("10:00:00"), t("10:10:00"),
                connections, participants, requests, messages, reactions);

        SessionStats stats = ExpectedStats.of(plan, t("11:00:00"), GRACE);

        assertThat(stats.audience().watchTimeMillis()).isEqualTo(510_000);
        assertThat(stats.chat().messages()).isEqualTo(4);
        assertThat(stats.chat().perMinute()).isEqualTo(points("10:00:00", 1, 2, 0, 0, 0, 0, 0, 0, 0, 1));
        assertThat(stats.chat().perViewer()).isEqualTo(1.3333);
        assertThat(stats.reactions().total()).isEqualTo(6);
        assertThat(stats.reactions().byType()).isEqualTo(Map.of("heart", 5L, "clap", 1L));
        assertThat(stats.reactions().perViewerMinute()).isEqualTo(0.7059);
        SessionStats.Stage stage = stats.stage();
        assertThat(stage.requests()).isEqualTo(3);
        assertThat(stage.approvals()).isEqualTo(1);
        assertThat(stage.raisedHands()).isEqualTo(2);
        assertThat(stage.approved()).isEqualTo(1);
        assertThat(stage.spoke()).isEqualTo(1);
        assertThat(stage.participationRate()).isEqualTo(0.3333);
        assertThat(stage.talkTime()).containsExactly(new Speaker("host", "Host", 300, 0.6),
                new Speaker("alice", "Alice", 100, 0.2), new Speaker("carol", "Carol", 100, 0.2));
        assertThat(stats.spaceId()).isNull();
    }

    /**
     * The grace boundary, in milliseconds after truncation. Window [10:00, 10:30).
     * <pre>
     * u1: [10:01, 10:02), [10:03, 10:04): gap exactly 60 s -> one view of 120 s
     * u2: [10:05, 10:06), [10:07:00.001, 10:08): gap 60.001 s -> two views, 60 s and 59.999 s
     * u3: [10:10, 10:11:00.000100), [10:12:00.000900, 10:13): truncated [10:10, 10:11) and [10:12, 10:13),
     *     gap 60.000 s -> one view of 120 s (untruncated the gap would be 60.0008 s: two views)
     * u4: [10:15, 10:16), [10:16, 10:17) touching -> one segment, one view of 120 s
     * views 5: 120000, 60000, 59999, 120000, 120000; watch 479999; average 95999 (floor of 95999.8);
     * median 120000; peak 1 first at 10:01
     * </pre>
     */
    @Test
    void theGraceIsInclusiveAndTimesAreTruncatedFirst() {
        List<Connection> connections = List.of(
                conn("1a", "u1", "desktop", "DE", "10:01:00", "10:02:00"),
                conn("1b", "u1", "desktop", "DE", "10:03:00", "10:04:00"),
                conn("2a", "u2", "desktop", "DE", "10:05:00", "10:06:00"),
                conn("2b", "u2", "desktop", "DE", "10:07:00.001", "10:08:00"),
                conn("3a", "u3", "desktop", "DE", "10:10:00", "10:11:00.000100"),
                conn("3b", "u3", "desktop", "DE", "10:12:00.000900", "10:13:00"),
                conn("4a", "u4", "desktop", "DE", "10:15:00", "10:16:00"),
                conn("4b", "u4", "desktop", "DE", "10:16:00", "10:17:00"));
        SessionStats.Audience a = ExpectedStats.of(session(t("10:00:00"), t("10:30:00"), connections),
                t("11:00:00"), GRACE).audience();

        assertThat(a.uniqueViewers()).isEqualTo(4);
        assertThat(a.views()).isEqualTo(5);
        assertThat(a.watchTimeMillis()).isEqualTo(479_999);
        assertThat(a.averageViewMillis()).isEqualTo(95_999);
        assertThat(a.medianViewMillis()).isEqualTo(120_000);
        assertThat(a.peakConcurrent()).isEqualTo(1);
        assertThat(a.peakAt()).isEqualTo(t("10:01:00"));
        assertThat(a.devices()).containsExactly(new Count("desktop", 4));
    }

    /**
     * Live: started 10:00:00.000400 (truncated 10:00:00.000), now 10:03:30.500.
     * <pre>
     * x [09:59, open) -> [10:00, 10:03:30.500) = 210500 ms; y [10:01, 10:02) = 60000; anonymous z [10:03, open) =
     * 30500; w joins at 10:04 (after now: nothing yet)
     * concurrent now: x and z = 2; peak 2 first at 10:01; per minute 10:00..10:03: 1 2 1 2
     * watch 301000, views 3, average 100333 (floor of 100333.3), median 60000; duration 210 s
     * </pre>
     */
    @Test
    void aLiveSessionEndsNow() {
        List<Connection> connections = List.of(
                conn("x", "x", "desktop", "DE", "09:59:00", null),
                conn("y", "y", "mobile", "DE", "10:01:00", "10:02:00"),
                conn("z", null, "mobile", "DE", "10:03:00", null));
        SessionStats stats = ExpectedStats.of(session(t("10:00:00.000400"), null, connections), t("10:03:30.500"),
                GRACE);

        assertThat(stats.live()).isTrue();
        assertThat(stats.startedAt()).isEqualTo(t("10:00:00"));
        assertThat(stats.endedAt()).isNull();
        assertThat(stats.durationSeconds()).isEqualTo(210);
        SessionStats.Audience a = stats.audience();
        assertThat(a.concurrent()).isEqualTo(2);
        assertThat(a.peakConcurrent()).isEqualTo(2);
        assertThat(a.peakAt()).isEqualTo(t("10:01:00"));
        assertThat(a.concurrencyPerMinute()).isEqualTo(points("10:00:00", 1, 2, 1, 2));
        assertThat(a.watchTimeMillis()).isEqualTo(301_000);
        assertThat(a.views()).isEqualTo(3);
        assertThat(a.averageViewMillis()).isEqualTo(100_333);
        assertThat(a.medianViewMillis()).isEqualTo(60_000);
        assertThat(stats.chat().perMinute()).isEqualTo(points("10:00:00", 0, 0, 0, 0));
    }

    /**
     * No viewers at all, window [10:00:30, 10:02:10): minutes 10:00, 10:01, 10:02, all 0; peak 0 at null; ratios
     * over zero are 0 even with 2 reactions and a request.
     */
    @Test
    void nobodyWatching() {
        SessionPlan plan = new SessionPlan("s1", "Title", "host", "space", t("09:00:00"), t("10:00:30"),
                t("10:02:10"), List.of(), List.of(),
                List.of(new Request("r1", "u", "U", t("10:01:00"), Outcome.APPROVED, t("10:01:10"))),
                List.of(new Message("m", "host", "Host", t("10:01:00"))),
                List.of(new Reaction(t("10:01:00"), t("10:01:02"), Map.of("wow", 2L))));
        SessionStats stats = ExpectedStats.of(plan, t("11:00:00"), GRACE);

        assertThat(stats.audience().peakConcurrent()).isZero();
        assertThat(stats.audience().peakAt()).isNull();
        assertThat(stats.audience().averageViewMillis()).isZero();
        assertThat(stats.audience().medianViewMillis()).isZero();
        assertThat(stats.audience().concurrencyPerMinute()).isEqualTo(points("10:00:00", 0, 0, 0));
        assertThat(stats.chat().perMinute()).isEqualTo(points("10:00:00", 0, 1, 0));
        assertThat(stats.chat().perViewer()).isZero();
        assertThat(stats.reactions().total()).isEqualTo(2);
        assertThat(stats.reactions().perViewerMinute()).isZero();
        assertThat(stats.stage().participationRate()).isZero();
        assertThat(stats.stage().talkTime()).isEmpty();
        assertThat(stats.durationSeconds()).isEqualTo(100);
    }

    /**
     * Twelve regions: US 3 viewers, DE 2, and ten codes with 1 each; the top 10 keeps US, DE and the first eight
     * single ones by code (AT BE CH DK ES FI FR GB), dropping IE and IT. Two views of 1001 ms and 2000 ms elsewhere:
     * median floor((1001 + 2000) / 2) = 1500.
     */
    @Test
    void topTenRegionsAndTheMedianOfAnEvenCount() {
        List<Connection> connections = new ArrayList<>();
        String[] singles = {"IT", "IE", "GB", "FR", "FI", "ES", "DK", "CH", "BE", "AT"};
        int n = 0;
        for (String region : singles) {
            connections.add(conn("c" + n, "u" + n++, "desktop", region, "10:00:10", "10:00:20"));
        }
        for (int i = 0; i < 3; i++) {
            connections.add(conn("c" + n, "u" + n++, "desktop", "US", "10:00:10", "10:00:20"));
        }
        for (int i = 0; i < 2; i++) {
            connections.add(conn("c" + n, "u" + n++, "desktop", "DE", "10:00:10", "10:00:20"));
        }
        List<Count> top = ExpectedStats.of(session(t("10:00:00"), t("10:01:00"), connections), t("11:00:00"), GRACE)
                .audience().topRegions();
        assertThat(top).extracting(Count::name).containsExactly("US", "DE", "AT", "BE", "CH", "DK", "ES", "FI", "FR",
                "GB");
        assertThat(top).extracting(Count::count).containsExactly(3L, 2L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L);

        SessionStats.Audience a = ExpectedStats.of(session(t("10:00:00"), t("10:01:00"), List.of(
                conn("p", "p", "tv", "US", "10:00:10", "10:00:11.001"),
                conn("q", "q", "tv", "US", "10:00:20", "10:00:22"))), t("11:00:00"), GRACE).audience();
        assertThat(a.medianViewMillis()).isEqualTo(1500);
        assertThat(a.averageViewMillis()).isEqualTo(1500);
    }

    /**
     * The oracle's reading of "per stage participant" (the ADR does not say): the latest role on stage, or any
     * {@code speakingSeconds > 0}.
     * <pre>
     * host HOST 90 s; gina approved 0.4 s before the end: GUEST with 0 s -> listed with share 0;
     * dora GUEST 30 s, then demoted to VIEWER (the 30 s stay) -> listed; vic VIEWER 0 s -> not listed
     * sum 120: host 0.75, dora 0.25, gina 0
     * </pre>
     */
    @Test
    void talkTimeListsEveryoneOnStageAndWhoeverWasThere() {
        List<Participant> participants = List.of(
                new Participant("host", "Host", List.of(
                        step("10:00:00", StepKind.JOINED, ParticipantRole.HOST, false, 0),
                        step("10:01:30", StepKind.LEFT, ParticipantRole.HOST, false, 90))),
                new Participant("gina", "Gina", List.of(
                        step("10:00:10", StepKind.JOINED, VIEWER, true, 0),
                        new Step(t("10:01:29.600"), StepKind.APPROVED, ParticipantRole.GUEST, true, 0, "r1"),
                        step("10:01:30", StepKind.LEFT, ParticipantRole.GUEST, true, 0))),
                new Participant("dora", "Dora", List.of(
                        step("10:00:10", StepKind.JOINED, ParticipantRole.GUEST, false, 0),
                        step("10:00:40", StepKind.ROLE, VIEWER, true, 30))),
                new Participant("vic", "Vic", List.of(step("10:00:10", StepKind.JOINED, VIEWER, false, 0))));
        SessionPlan plan = new SessionPlan("s1", "Title", "host", null, t("09:00:00"), t("10:00:00"), t("10:01:30"),
                List.of(), participants,
                List.of(new Request("r1", "gina", "Gina", t("10:01:00"), Outcome.APPROVED, t("10:01:29.600"))),
                List.of(), List.of());

        SessionStats.Stage stage = ExpectedStats.of(plan, t("11:00:00"), GRACE).stage();

        assertThat(stage.talkTime()).containsExactly(new Speaker("host", "Host", 90, 0.75),
                new Speaker("dora", "Dora", 30, 0.25), new Speaker("gina", "Gina", 0, 0.0));
        assertThat(stage.approved()).isEqualTo(1);
        assertThat(stage.spoke()).isZero(); // gina never unmuted; vic's open microphone was not on stage
    }

    /**
     * "Spoke" (ADR as of ca33b23): an approved user with a media-changed of the MICROPHONE, audioMuted=false, on
     * stage.
     * <pre>
     * ann: approved, MEDIA unmuted as GUEST -> spoke
     * rex: approved, rejoins as GUEST with the microphone open in the snapshot, CAMERA event with it open -> not
     * ben: approved, MEDIA unmuted while still VIEWER (before the approval) -> not (not on stage)
     * cal: not approved, MEDIA unmuted as COHOST -> not (not approved)
     * approved 3, spoke 1
     * </pre>
     */
    @Test
    void onlyAMicrophoneReportOnStageIsSpeaking() {
        List<Participant> participants = List.of(
                new Participant("ann", "Ann", List.of(
                        step("10:00:10", StepKind.JOINED, VIEWER, true, 0),
                        step("10:00:20", StepKind.APPROVED, ParticipantRole.GUEST, true, 0),
                        step("10:00:30", StepKind.MEDIA, ParticipantRole.GUEST, false, 10))),
                new Participant("rex", "Rex", List.of(
                        step("10:00:10", StepKind.JOINED, VIEWER, true, 0),
                        step("10:00:20", StepKind.APPROVED, ParticipantRole.GUEST, true, 0),
                        step("10:00:30", StepKind.LEFT, ParticipantRole.GUEST, true, 10),
                        step("10:00:40", StepKind.REJOINED, ParticipantRole.GUEST, false, 10),
                        step("10:00:50", StepKind.CAMERA, ParticipantRole.GUEST, false, 20))),
                new Participant("ben", "Ben", List.of(
                        step("10:00:10", StepKind.JOINED, VIEWER, true, 0),
                        step("10:00:15", StepKind.MEDIA, VIEWER, false, 0),
                        step("10:00:20", StepKind.APPROVED, ParticipantRole.GUEST, false, 0))),
                new Participant("cal", "Cal", List.of(
                        step("10:00:10", StepKind.JOINED, ParticipantRole.COHOST, true, 0),
                        step("10:00:15", StepKind.MEDIA, ParticipantRole.COHOST, false, 5))));
        List<Request> requests = List.of(
                new Request("r-ann", "ann", "Ann", t("10:00:12"), Outcome.APPROVED, t("10:00:20")),
                new Request("r-rex", "rex", "Rex", t("10:00:12"), Outcome.APPROVED, t("10:00:20")),
                new Request("r-ben", "ben", "Ben", t("10:00:12"), Outcome.APPROVED, t("10:00:20")));
        SessionPlan plan = new SessionPlan("s1", "Title", "host", null, t("09:00:00"), t("10:00:00"), t("10:01:00"),
                List.of(), participants, requests, List.of(), List.of());

        SessionStats.Stage stage = ExpectedStats.of(plan, t("11:00:00"), GRACE).stage();

        assertThat(stage.approved()).isEqualTo(3);
        assertThat(stage.spoke()).isEqualTo(1);
    }

    @Test
    void ratiosRoundHalfUpFromTheExactQuotient() {
        assertThat(ExpectedStats.ratio(1, 3)).isEqualTo(0.3333);
        assertThat(ExpectedStats.ratio(2, 3)).isEqualTo(0.6667);
        assertThat(ExpectedStats.ratio(1, 80_000)).isEqualTo(0.0); // 0.0000125
        assertThat(ExpectedStats.ratio(1, 20_000)).isEqualTo(0.0001); // 0.00005 exactly: half up
        assertThat(ExpectedStats.ratio(5, 0)).isEqualTo(0.0);
    }

    @Test
    void withoutRevisionOnlyClearsTheRevision() {
        SessionStats stats = ExpectedStats.of(session(t("10:00:00"), t("10:01:00"), List.of()), t("11:00:00"), GRACE);
        SessionStats revised = new SessionStats(stats.sessionId(), stats.title(), stats.hostId(), stats.spaceId(),
                stats.startedAt(), stats.endedAt(), stats.live(), stats.durationSeconds(), stats.audience(),
                stats.chat(), stats.reactions(), stats.stage(), 3);
        assertThat(ExpectedStats.withoutRevision(revised)).isEqualTo(stats);
    }
}
