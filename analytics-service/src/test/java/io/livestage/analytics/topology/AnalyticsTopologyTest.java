package io.livestage.analytics.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.livestage.analytics.SessionLog;
import io.livestage.analytics.stats.SessionFacts;
import io.livestage.analytics.stats.StatsCalculator;
import io.livestage.events.Topics;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology's mechanics on TopologyTestDriver: facts, the final statistics' timing and retries, the purge. */
class AnalyticsTopologyTest {
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");
    private static final AnalyticsSettings SETTINGS = new AnalyticsSettings(Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1));

    private final List<FinalStatsSink.FinalStats> recorded = new ArrayList<>();
    private final AtomicInteger failuresToSimulate = new AtomicInteger();
    /** When set, the sink's writes stay unfinished until the test completes them. */
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean hold;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> session;
    private TestInputTopic<String, byte[]> chat;
    private KeyValueStore<String, Fact> facts;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AnalyticsTopology.topology(SETTINGS, stats -> {
            if (failuresToSimulate.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("database down"));
            }
            recorded.add(stats);
            if (hold) {
                CompletableFuture<Void> write = new CompletableFuture<>();
                held.add(write);
                return write;
            }
            return CompletableFuture.completedFuture(null);
        }), props, START);
        session = driver.createInputTopic(Topics.SESSION, new StringSerializer(), new ByteArraySerializer());
        chat = driver.createInputTopic(Topics.CHAT, new StringSerializer(), new ByteArraySerializer());
        facts = driver.getKeyValueStore(AnalyticsTopology.FACTS_STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void pipe(ProducerRecord<String, byte[]> record) {
        TestInputTopic<String, byte[]> topic = record.topic().equals(Topics.SESSION) ? session : chat;
        topic.pipeInput(new TestRecord<>(record.key(), record.value(), new RecordHeaders(record.headers().toArray()),
                START));
    }

    private SessionStats live(SessionLog log) {
        return StatsCalculator.compute(SessionFacts.load(facts, log.session).orElseThrow(), START.plusSeconds(600),
                SETTINGS.viewGrace());
    }

    @Test
    void duplicatesAndALeaveBeforeItsJoinMakeTheSameFacts() {
        SessionLog log = new SessionLog("host", START);
        ProducerRecord<String, byte[]> started = log.started();
        ProducerRecord<String, byte[]> joined = log.joined("c1", "v1", ParticipantRole.VIEWER, "mobile", "DE",
                START.plusSeconds(10));
        ProducerRecord<String, byte[]> left = log.left("c1", "v1", ParticipantRole.VIEWER, "mobile", "DE",
                START.plusSeconds(10), START.plusSeconds(70));
        ProducerRecord<String, byte[]> message = log.message("v1", START.plusSeconds(20));
        for (ProducerRecord<String, byte[]> r : List.of(left, started, message, joined, message, left, started)) {
            pipe(r);
        }
        SessionStats stats = live(log);
        assertThat(stats.audience().views()).isEqualTo(1);
        assertThat(stats.audience().watchTimeMillis()).isEqualTo(60_000);
        assertThat(stats.chat().messages()).as("the redelivered message counts once").isEqualTo(1);
        assertThat(stats.live()).isTrue();
    }

    @Test
    void finalStatisticsAreRecordedAfterTheDelayRetriedOnFailureAndRevisedByALateFact() {
        SessionLog log = new SessionLog("host", START);
        pipe(log.started());
        pipe(log.joined("c1", "v1", ParticipantRole.VIEWER, "mobile", "DE", START.plusSeconds(10)));
        pipe(log.ended(START.plusSeconds(100)));
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertThat(recorded).as("not before the final delay").isEmpty();

        failuresToSimulate.set(1);
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertThat(recorded).as("the sink failed once").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(recorded).hasSize(1);
        FinalStatsSink.FinalStats first = recorded.get(0);
        assertThat(first.stats().live()).isFalse();
        assertThat(first.stats().audience().watchTimeMillis()).isEqualTo(90_000);
        assertThat(first.viewerKeys()).containsExactly("v1");

        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(recorded).as("nothing new, nothing recorded").hasSize(1);

        // a message from before the end arrives late: recorded again after the delay
        pipe(log.message("v1", START.plusSeconds(50)));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).stats().chat().messages()).isEqualTo(1);
    }

    @Test
    void anEventArrivingWhileTheFinalStatisticsAreBeingWrittenIsRecordedNext() {
        SessionLog log = new SessionLog("host", START);
        pipe(log.started());
        pipe(log.joined("c1", "v1", ParticipantRole.VIEWER, "mobile", "DE", START.plusSeconds(10)));
        pipe(log.ended(START.plusSeconds(100)));
        hold = true;
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(recorded).hasSize(1);
        assertThat(held).hasSize(1);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(recorded).as("one write at a time per session").hasSize(1);

        pipe(log.message("v1", START.plusSeconds(50))); // while the write is in flight
        held.get(0).complete(null);
        hold = false;
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(recorded).as("the write finished; the re-armed session waits for its delay").hasSize(1);
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).stats().chat().messages()).isEqualTo(1);
    }

    @Test
    void factsAreDroppedAfterTheRetentionAndLaterEventsIgnored() {
        SessionLog log = new SessionLog("host", START);
        pipe(log.started());
        pipe(log.joined("c1", "v1", ParticipantRole.VIEWER, "mobile", "DE", START.plusSeconds(10)));
        pipe(log.ended(START.plusSeconds(100)));
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(recorded).hasSize(1);
        assertThat(SessionFacts.load(facts, log.session)).isPresent();

        driver.advanceWallClockTime(Duration.ofHours(1));
        assertThat(SessionFacts.load(facts, log.session)).as("facts dropped after the retention").isEmpty();
        pipe(log.message("v1", START.plusSeconds(50)));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(SessionFacts.load(facts, log.session)).as("a very late event is ignored").isEmpty();
        assertThat(recorded).hasSize(1);
    }

    @Test
    void recordsThatAreNotCatalogueEventsAreSkipped() {
        chat.pipeInput("not-a-session/with-slash", new byte[] {1, 2, 3});
        chat.pipeInput("5f0c2a52-1111-4222-8333-944455556666", "{}".getBytes());
        session.pipeInput("5f0c2a52-1111-4222-8333-944455556666", null, START);
        assertThat(facts.approximateNumEntries()).isZero();
        SessionLog log = new SessionLog("host", START);
        pipe(log.reactions(START.plusSeconds(5), Map.of("heart", 2L)));
        assertThat(facts.approximateNumEntries()).isEqualTo(1);
    }
}
