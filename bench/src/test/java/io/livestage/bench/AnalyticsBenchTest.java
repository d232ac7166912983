package io.livestage.bench;

import java.nio.charset.StandardCharsets;
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

import io.livestage.bench.core.Knobs;
import io.livestage.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalyticsBenchTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    // --- settings ----------------------------------------------------------------------------------------------------

    @Test
    void knobsAreCheckedBeforeAnythingStarts() {
        Knobs ok = new Knobs(List.of("--events=5000", "--seed=9", "--mix=message=1,presence=3", "--phases=throughput"),
                Map.of("BENCH_SESSIONS", "10"));
        assertThat(new AnalyticsScenario(ok).budget()).isBetween(Duration.ofMinutes(10), Duration.ofHours(3));
        ok.finish();
        assertThat(ok.used()).containsEntry("sessions", "10").containsEntry("seed", "9");
        assertThatThrownBy(() -> new AnalyticsScenario(new Knobs(List.of("--events=10", "--sessions=5"), Map.of())))
                .hasMessageContaining("3 × sessions");
        assertThatThrownBy(() -> new AnalyticsScenario(new Knobs(List.of("--phases=plain"), Map.of())))
                .hasMessageContaining("phases");
        assertThatThrownBy(() -> new AnalyticsScenario(new Knobs(List.of("--mix=presence=1,likes=2"), Map.of())))
                .hasMessageContaining("mix");
        assertThatThrownBy(() -> new AnalyticsScenario(new Knobs(List.of("--live-rates=0"), Map.of())))
                .hasMessageContaining("live rates");
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
        // 2 sessions, messages k = 0..5 (0, 1 in segment 0; 2..5 in segment 1), session k % 2, n-th = k / 2 + 1
        LiveLatency latency = new LiveLatency(2, 6);
        assertThat(latency.frame(0, 7, 0)).as("the first frame sets the base").isZero();
        assertThat(latency.frame(1, 0, 0)).isZero();
        long ms = 1_000_000;
        for (int k = 0; k < 6; k++) {
            if (k == 2) {
                assertThat(latency.startSegment()).isEqualTo(1);
            }
            latency.sent(k, k * 100 * ms);
        }
        assertThat(latency.frame(0, 7, 50 * ms)).as("nothing new").isZero();
        // session 0 counts messages k=0 and k=2 at 250 ms: 250 ms (segment 0) and 50 ms (segment 1)
        assertThat(latency.frame(0, 9, 250 * ms)).isEqualTo(2);
        assertThat(latency.resolvedUpTo(1)).isTrue();
        assertThat(latency.resolvedUpTo(2)).as("k=1 of session 1 still open").isFalse();
        assertThat(latency.unresolved(0)).isEqualTo(1);
        // session 1 counts k=1, 3 and 5 at 600 ms
        assertThat(latency.frame(1, 3, 600 * ms)).isEqualTo(3);
        assertThat(latency.unresolved(1)).as("k=4 of session 0").isEqualTo(1);
        // a count beyond what was sent is not timed
        assertThat(latency.frame(0, 12, 700 * ms)).isEqualTo(1);
        assertThat(latency.beyondSent()).isEqualTo(1);
        assertThat(latency.resolvedUpTo(6)).isTrue();

        assertThat(latency.latencies(0).getTotalCount()).isEqualTo(2);
        assertThat(latency.latencies(1).getTotalCount()).isEqualTo(4);
        assertThat(latency.latencies(0).getMaxValue()).isBetween(499_000L, 501_000L); // k=1: 0.1 s → 0.6 s
        assertThat(latency.latencies(1).getMinValue()).isBetween(49_900L, 50_100L); // k=2: 0.2 s → 0.25 s
        assertThat(latency.unresolved(0) + latency.unresolved(1)).isZero();
        assertThat(latency.changingFrames()).isEqualTo(3);
        assertThat(latency.frames()).isEqualTo(6);
    }

    @Test
    void theFramesChatCountIsReadFromTheStatisticsObject() {
        assertThat(AnalyticsScenario.chatMessages("{\"sessionId\":\"s\",\"audience\":{\"views\":3},"
                + "\"chat\":{\"messages\":42,\"perMinute\":[1,2]}}")).isEqualTo(42L);
        assertThat(AnalyticsScenario.chatMessages("{\"audience\":{}}")).isNull();
        assertThat(AnalyticsScenario.chatMessages("not json")).isNull();
    }
}
