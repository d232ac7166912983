package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalyticsBenchTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");
    private static final String[] ROOT = { "--root=" + Path.of(".").toAbsolutePath() };
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    // --- settings ----------------------------------------------------------------------------------------------------

    @Test
    void settingsDefaultsAndKnobs() {
        AnalyticsSettings defaults = AnalyticsSettings.from(ROOT, Map.of());
        assertThat(defaults.events()).isEqualTo(1_000_000);
        assertThat(defaults.sessions()).isEqualTo(2_000);
        assertThat(defaults.phases()).containsExactlyInAnyOrder("plain", "throughput", "live");
        assertThat(defaults.liveSessions()).isEqualTo(50);
        assertThat(defaults.liveRate()).isEqualTo(200);
        assertThat(defaults.liveDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.measuredMessages()).isEqualTo(6_000);
        assertThat(defaults.mix()).isEqualTo(AnalyticsLog.Mix.DEFAULT);
        assertThat(defaults.report().toString()).endsWith("docs/benchmarks/analytics.md");
        assertThat(defaults.analyticsJar().toString()).endsWith("analytics-service/target/quarkus-app/quarkus-run.jar");
        assertThat(defaults.rounds()).isEqualTo(2);
        assertThat(defaults.budget()).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(90));

        AnalyticsSettings given = AnalyticsSettings.from(new String[] { "--root=.", "--events=5000", "--seed=9",
                "--mix=message=1,presence=3", "--phases=plain" }, Map.of("BENCH_EVENTS", "7", "BENCH_SESSIONS", "10"));
        assertThat(given.events()).as("the argument wins").isEqualTo(5_000);
        assertThat(given.sessions()).isEqualTo(10);
        assertThat(given.seed()).isEqualTo(9);
        assertThat(given.mix()).isEqualTo(new AnalyticsLog.Mix(3, 1, 0));
        assertThat(given.runs("live")).isFalse();
    }

    @Test
    void settingsRefuseUnboundedOrUnknownRuns() {
        assertThatThrownBy(() -> AnalyticsSettings.from(new String[] { "--events=10", "--sessions=5" }, Map.of()))
                .hasMessageContaining("3 × sessions");
        assertThatThrownBy(() -> AnalyticsSettings.from(new String[] { "--phases=live" }, Map.of()))
                .hasMessageContaining("live needs throughput");
        assertThatThrownBy(() -> AnalyticsSettings.from(new String[] { "--mix=presence=1,likes=2" }, Map.of()))
                .hasMessageContaining("mix");
        assertThatThrownBy(() -> AnalyticsSettings.from(new String[] { "--live-rate=0" }, Map.of()))
                .hasMessageContaining("live-rate");
        assertThatThrownBy(() -> AnalyticsSettings.from(new String[] { "--viewers=10" }, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- the log -----------------------------------------------------------------------------------------------------

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record, long offset) {
        return new ConsumerRecord<>(record.topic(), 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, record.key(),
                record.value(), record.headers(), Optional.empty());
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theLogHasThePlannedMakeUpAndAPlainReaderFindsTheExpectedCounts() {
        AnalyticsLog log = new AnalyticsLog(42, 30, 3_001, AnalyticsLog.Mix.DEFAULT, NOW);
        AnalyticsLog.Totals totals = log.totals();
        assertThat(totals.events()).isEqualTo(3_001);
        assertThat(totals.sessionEvents()).isEqualTo(60);
        // 2,941 chat events at 40:50:10, presence in JOINED/LEFT pairs
        assertThat(totals.presenceEvents()).isBetween(1_150L, 1_200L);
        assertThat(totals.messages()).isBetween(1_450L, 1_500L);
        assertThat(totals.reactionEvents()).isBetween(280L, 300L);
        assertThat(totals.chatEvents() + totals.sessionEvents()).isEqualTo(3_001);

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        assertThat(log.produce(records::add)).isEqualTo(3_001);
        assertThat(records).hasSize(3_001);
        assertThat(records.stream().filter(r -> r.topic().equals(Topics.SESSION))).hasSize(60);

        SessionCounts counts = new SessionCounts();
        Map<String, Long> lastChatSequence = new HashMap<>();
        Map<String, String> lastTimePerSession = new HashMap<>();
        String previousTime = "";
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<String, byte[]> r = records.get(i);
            counts.accept(consumed(r, i));
            String time = header(r, "ce_time");
            assertThat(Instant.parse(time)).as("produced in event-time order")
                    .isAfterOrEqualTo(previousTime.isEmpty() ? Instant.EPOCH : Instant.parse(previousTime));
            previousTime = time;
            lastTimePerSession.put(r.key(), time);
            if (r.topic().equals(Topics.CHAT)) {
                long sequence = Long.parseLong(header(r, "ce_sequence"));
                assertThat(sequence).as("per-session chat sequence").isEqualTo(lastChatSequence.getOrDefault(r.key(),
                        0L) + 1);
                lastChatSequence.put(r.key(), sequence);
            }
        }
        SessionCounts.Totals found = counts.totals();
        assertThat(found.skipped()).isZero();
        assertThat(found.sessions()).isEqualTo(30);
        assertThat(found.started()).isEqualTo(30);
        assertThat(found.ended()).isEqualTo(30);
        assertThat(found.messages()).isEqualTo(totals.messages());
        assertThat(found.reactions()).isEqualTo(totals.reactions());
        assertThat(found.viewers()).isEqualTo(totals.viewers());
        for (int s = 0; s < log.sessions(); s++) {
            AnalyticsLog.Expected expected = log.expected(s);
            SessionCounts.Counts c = counts.session(expected.session());
            assertThat(c.viewers).hasSize((int) expected.viewers());
            assertThat(c.messages).isEqualTo(expected.messages());
            assertThat(c.reactions).isEqualTo(expected.reactions());
            assertThat(expected.host()).startsWith("bench-host-");
        }
        // the same seed, the same log; another seed, other sessions
        AnalyticsLog again = new AnalyticsLog(42, 30, 3_001, AnalyticsLog.Mix.DEFAULT, NOW);
        List<ProducerRecord<String, byte[]>> second = new ArrayList<>();
        again.produce(second::add);
        assertThat(second.get(100).value()).isEqualTo(records.get(100).value());
        assertThat(new AnalyticsLog(43, 30, 3_001, AnalyticsLog.Mix.DEFAULT, NOW).expected(0).session())
                .isNotEqualTo(log.expected(0).session());
        assertThat(log.liveSessions(3, NOW)).extracting(l -> l.id).doesNotContain(log.expected(0).session())
                .doesNotHaveDuplicates();
    }

    @Test
    void everyEventOfASessionLiesInsideItsLiveWindow() {
        AnalyticsLog log = new AnalyticsLog(7, 5, 2_000, new AnalyticsLog.Mix(60, 30, 10), NOW);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        log.produce(records::add);
        Map<String, Instant> started = new HashMap<>();
        Map<String, Instant> ended = new HashMap<>();
        for (ProducerRecord<String, byte[]> r : records) {
            String type = header(r, "ce_type");
            Instant at = Instant.parse(header(r, "ce_time"));
            if ("session.started".equals(type)) {
                assertThat(started).doesNotContainKey(r.key());
                started.put(r.key(), at);
            } else if ("session.ended".equals(type)) {
                ended.put(r.key(), at);
            } else {
                assertThat(started).as("started before its first chat event").containsKey(r.key());
                assertThat(ended).as("nothing after the end").doesNotContainKey(r.key());
                assertThat(at).isAfter(started.get(r.key()));
            }
        }
        assertThat(ended).hasSize(5);
        ended.forEach((session, end) -> assertThat(end).isBefore(NOW.minus(Duration.ofMinutes(59))));
    }

    // --- the plain consumer's protocol -------------------------------------------------------------------------------

    @Test
    void endOffsetsAndTheDoneLineSurviveTheCommandLine() {
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        ends.put(new TopicPartition(Topics.CHAT, 0), 123L);
        ends.put(new TopicPartition(Topics.SESSION, 5), 0L);
        assertThat(PlainAnalyticsConsumer.parseEndOffsets(PlainAnalyticsConsumer.endOffsets(ends))).isEqualTo(ends);

        SessionCounts.Totals totals = new SessionCounts.Totals(1_000, 10, 70, 500, 900, 10, 9, 1);
        PlainAnalyticsConsumer.Done done = new PlainAnalyticsConsumer.Done(2_000_000_000L, 990, 500_000_000L,
                3_000_000_000L, totals);
        PlainAnalyticsConsumer.Done parsed = PlainAnalyticsConsumer.Done.parse(done.line());
        assertThat(parsed).isEqualTo(done);
        assertThat(parsed.eventsPerSecond()).isEqualTo(495.0);
        assertThatThrownBy(() -> PlainAnalyticsConsumer.Done.parse("progress 100"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- live matching -----------------------------------------------------------------------------------------------

    @Test
    void framesResolveEachSessionsMessagesFromTheirFirstCount() {
        // 2 sessions, 2 warm-up + 4 measured messages: k = 0..5, session k % 2, n-th of its session = k / 2 + 1
        LiveLatency latency = new LiveLatency(2, 2, 4);
        assertThat(latency.frame(0, 7, 0)).as("the first frame sets the base").isZero();
        assertThat(latency.frame(1, 0, 0)).isZero();
        long ms = 1_000_000;
        for (int k = 0; k < 6; k++) {
            latency.sent(k, k * 100 * ms);
        }
        assertThat(latency.frame(0, 7, 50 * ms)).as("nothing new").isZero();
        // session 0 counts messages k=0 and k=2 at 250 ms: 250 ms (warm) and 50 ms (measured)
        assertThat(latency.frame(0, 9, 250 * ms)).isEqualTo(2);
        assertThat(latency.resolvedUpTo(1)).isTrue();
        assertThat(latency.resolvedUpTo(2)).as("k=1 of session 1 still open").isFalse();
        // session 1 counts k=1, 3 and 5 at 600 ms
        assertThat(latency.frame(1, 3, 600 * ms)).isEqualTo(3);
        // a count beyond what was sent is not timed
        assertThat(latency.frame(0, 12, 700 * ms)).isEqualTo(1);
        assertThat(latency.beyondSent()).isEqualTo(1);
        assertThat(latency.resolvedUpTo(6)).isTrue();

        assertThat(latency.warm().getTotalCount()).isEqualTo(2);
        assertThat(latency.measured().getTotalCount()).isEqualTo(4);
        assertThat(latency.warm().getMaxValue()).isBetween(499_000L, 501_000L); // k=1: 0.1 s → 0.6 s
        assertThat(latency.measured().getMinValue()).isBetween(49_900L, 50_100L); // k=2: 0.2 s → 0.25 s
        assertThat(latency.measuredLost(6)).isZero();
        assertThat(latency.changingFrames()).isEqualTo(3);
        assertThat(latency.frames()).isEqualTo(6);

        LiveLatency lossy = new LiveLatency(1, 0, 3);
        lossy.frame(0, 0, 0);
        lossy.sent(0, 1);
        lossy.sent(1, 2);
        lossy.sent(2, 3);
        lossy.frame(0, 2, 10);
        assertThat(lossy.measuredLost(3)).isEqualTo(1);
    }

    @Test
    void theFramesChatCountIsReadFromTheStatisticsObject() {
        assertThat(AnalyticsSubscribers.chatMessages("{\"sessionId\":\"s\",\"audience\":{\"views\":3},"
                + "\"chat\":{\"messages\":42,\"perMinute\":[1,2]}}")).isEqualTo(42L);
        assertThat(AnalyticsSubscribers.chatMessages("{\"audience\":{}}")).isNull();
        assertThat(AnalyticsSubscribers.chatMessages("not json")).isNull();
    }

    // --- the report --------------------------------------------------------------------------------------------------

    private static GroupProgress.Outcome outcome(long events, double seconds, double cpuSeconds) {
        return new GroupProgress.Outcome(events + 1, new GroupProgress.Sample(0, 1, 0),
                new GroupProgress.Sample((long) (seconds * 1e9), events + 1, (long) (cpuSeconds * 1e9)), true, 100, 0);
    }

    private static AnalyticsReport report(double serviceSeconds, long liveMillis) {
        AnalyticsSettings settings = AnalyticsSettings.from(ROOT, Map.of());
        AnalyticsLog.Totals totals = new AnalyticsLog.Totals(1_000_001, 4_000, 400_000, 500_000, 96_001, 400_000,
                140_000, 200_000);
        AnalyticsBenchmark.Loaded loaded = new AnalyticsBenchmark.Loaded(totals, 1_000_001, 0, 50, 1_000_001,
                Map.of());
        SessionCounts.Totals found = new SessionCounts.Totals(1_000_001, 2_000, 140_000, 500_000, 400_000, 2_000,
                2_000, 0);
        // plain: 1,000,000 events after its first poll in 10 s, 5 CPU s
        AnalyticsBenchmark.PlainRun plain = new AnalyticsBenchmark.PlainRun(1, new PlainAnalyticsConsumer.Done(
                10_000_000_000L, 1_000_000, 5_000_000_000L, 9_000_000_000L, found), null, 14);
        AnalyticsBenchmark.ServiceRun service = new AnalyticsBenchmark.ServiceRun(1, "analytics-bench-1", "db", 12,
                outcome(1_000_000, serviceSeconds, 40), null, List.of(), 1_000_001,
                new AnalyticsBenchmark.Finals(2_000, 2_000, 6), new AnalyticsBenchmark.Checks(20, 20, List.of()),
                null, null, null);
        LiveLatency latency = new LiveLatency(1, 0, 100);
        latency.frame(0, 0, 0);
        for (int k = 0; k < 100; k++) {
            latency.sent(k, 0);
            latency.frame(0, k + 1, (k < 99 ? 100 : liveMillis) * 1_000_000L);
        }
        AnalyticsBenchmark.LiveRun live = new AnalyticsBenchmark.LiveRun(null, 1, 1, Map.of(), latency, 100, 0, 200,
                null, 0, 0, 1);
        return new AnalyticsReport(MACHINE, settings, loaded, List.of(plain), List.of(service), live, List.of(),
                "stack", List.of("a note"), "");
    }

    @Test
    void reportOfARunThatMeetsItsGoals() {
        AnalyticsReport report = report(16, 300);
        String markdown = report.markdown();
        // 1,000,000 events in 16 s = 62,500/s; plain 100,000/s; p99 of 99 × 100 ms and 1 × 300 ms = 100 ms
        assertThat(markdown.lines().toList().getLast())
                .isEqualTo("RESULT events_per_s=62500 live_p99_ms=100.03 ratio_vs_plain=0.63");
        assertThat(markdown)
                .contains("| events/s consumed by analytics-service from a whole log | ≥ 50,000 | 62,500 | met |")
                .contains("| chat message sent → SSE frame counting it, p99 | ≤ 1,000 ms | 100.03 ms | met |")
                .contains("| 1 | analytics-service | 62,500 | 16.00 | 1000000 | 0.040 | 2.50 | 12.00 |")
                .contains("| 1 | plain KafkaConsumer | 100,000 | 10.00 | 1000000 | 0.005 | 0.50 |")
                .contains("| sessions read back matching the log (viewers, messages, reactions) (service, round 1) "
                        + "| 20 | 20 |")
                .contains("- a note");
        assertThat(report.console()).endsWith("RESULT events_per_s=62500 live_p99_ms=100.03 ratio_vs_plain=0.63\n");
    }

    @Test
    void reportOfARunThatMissesTheThroughputGoalSaysSo() {
        AnalyticsReport report = report(100, 5_000);
        String markdown = report.markdown();
        assertThat(markdown.lines().toList().getLast())
                .isEqualTo("RESULT events_per_s=10000 live_p99_ms=100.03 ratio_vs_plain=0.10");
        assertThat(markdown).contains("| ≥ 50,000 | 10,000 | NOT met |")
                .contains("short of the 50,000 goal (5.00× would be needed)");
        assertThat(report.resultLine()).contains("live_p99_ms=100.03");
        assertThat(report.live().latency().measured().getMaxValue()).isGreaterThan(4_000_000L);
    }
}
