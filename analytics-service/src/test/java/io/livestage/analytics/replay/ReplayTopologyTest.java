package io.livestage.analytics.replay;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.livestage.analytics.replay.SyntheticLog.Delivery;
import io.livestage.analytics.replay.SyntheticLog.Message;
import io.livestage.analytics.replay.SyntheticLog.Plan;
import io.livestage.analytics.replay.SyntheticLog.SessionPlan;
import io.livestage.analytics.stats.SessionFacts;
import io.livestage.analytics.stats.StatsCalculator;
import io.livestage.analytics.topology.AnalyticsSettings;
import io.livestage.analytics.topology.AnalyticsTopology;
import io.livestage.analytics.topology.Fact;
import io.livestage.analytics.topology.FinalStatsSink;
import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The synthetic log through the real topology ({@link TopologyTestDriver}): every metric of every session, final
 * (ended: what the wall-clock punctuator hands the sink) and live (the facts store read at the plan's now), must
 * equal {@link ExpectedStats} computed from the ground truth. The revision of a final answer is not compared.
 */
class ReplayTopologyTest {
    private static final long SEED = 20261205L;
    private static final AnalyticsSettings SETTINGS = AnalyticsSettings.defaults();

    @TempDir
    Path stateDir;

    @ParameterizedTest
    @ValueSource(longs = {SEED, 1L, 2L})
    void everyMetricOfEverySessionMatchesTheOracle(long seed) {
        SyntheticLog log = SyntheticLog.generate(seed);
        assertThat(SETTINGS.viewGrace()).isEqualTo(SyntheticLog.VIEW_GRACE);
        Replay replay = replay(log.plan(), log.deliveries(), List.of());

        List<String> mismatches = compare(log.plan(), replay);
        assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
    }

    /**
     * The same events, each once, in a seeded random order and without pauses: the ADR makes every statistic a pure
     * function of the set of facts, so the answers are the same.
     */
    @Test
    void anyOrderOfTheSameEventsGivesTheSameStatistics() {
        SyntheticLog log = SyntheticLog.generate(SEED);
        Map<String, Delivery> once = new LinkedHashMap<>();
        for (Delivery d : log.deliveries()) {
            once.putIfAbsent(d.event().id(), new Delivery(d.topic(), d.key(), d.event(), d.timestamp(),
                    Duration.ZERO));
        }
        List<Delivery> shuffled = new ArrayList<>(once.values());
        Collections.shuffle(shuffled, new Random(SEED + 1));
        Replay replay = replay(log.plan(), shuffled, List.of());

        List<String> mismatches = compare(log.plan(), replay);
        assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
    }

    /**
     * A chat message sent 10 s before the end of the first session but delivered after its final statistics were
     * recorded: the session is recorded again, and the new answer is the oracle's with that message.
     */
    @Test
    void aChatMessageAfterTheFinalRevisesIt() {
        SyntheticLog log = SyntheticLog.generate(SEED);
        SessionPlan first = log.plan().sessions().get(0);
        long lastSequence = log.deliveries().stream()
                .filter(d -> d.key().equals(first.id()) && d.topic().equals(Topics.CHAT))
                .mapToLong(d -> d.event().sequence()).max().orElseThrow();
        Instant sentAt = first.endedAt().minusSeconds(10);
        String messageId = "late-message-after-the-final";
        ChatMessagePosted message = new ChatMessagePosted(messageId, lastSequence + 1, first.id(),
                new ChatAuthor(first.hostId(), "Host", ParticipantRole.HOST), "one more thing", "client-late", sentAt);
        CloudEvent<ChatMessagePosted> event = new CloudEvent<>("ce-" + messageId, EventType.CHAT_MESSAGE.typeName(),
                SyntheticLog.CHAT_SOURCE, first.id(), sentAt, lastSequence + 1, null,
                EventType.CHAT_MESSAGE.schemaUri(), message);
        Delivery late = new Delivery(Topics.CHAT, first.id(), event, log.plan().now(), Duration.ZERO);

        Replay replay = replay(log.plan(), log.deliveries(), List.of(late, late));

        List<SessionStats> recorded = replay.recorded().get(first.id());
        SessionStats before = ExpectedStats.of(first, log.plan().now(), SyntheticLog.VIEW_GRACE);
        List<Message> messages = new ArrayList<>(first.messages());
        messages.add(new Message(messageId, first.hostId(), "Host", sentAt));
        SessionPlan withLate = new SessionPlan(first.id(), first.title(), first.hostId(), first.spaceId(),
                first.createdAt(), first.startedAt(), first.endedAt(), first.connections(), first.participants(),
                first.requests(), messages, first.reactions());
        SessionStats after = ExpectedStats.of(withLate, log.plan().now(), SyntheticLog.VIEW_GRACE);
        assertThat(after.chat().messages()).isEqualTo(before.chat().messages() + 1);
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(2);
        List<String> mismatches = new ArrayList<>();
        diff("first final", before, ExpectedStats.withoutRevision(recorded.get(0)), mismatches);
        diff("revised final", after, ExpectedStats.withoutRevision(recorded.get(recorded.size() - 1)), mismatches);
        assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
    }

    /** Every final the sink got per session (in order), and the live sessions' statistics at the plan's now. */
    private record Replay(Map<String, List<SessionStats>> recorded, Map<String, SessionStats> live) {
    }

    /**
     * Pipes {@code deliveries} (advancing the wall clock by their pauses), lets 10 s of wall clock pass (final-delay
     * is 5 s), reads the live sessions, then pipes {@code afterFinal} and lets another 10 s pass.
     */
    private Replay replay(Plan plan, List<Delivery> deliveries, List<Delivery> afterFinal) {
        Map<String, List<SessionStats>> recorded = new LinkedHashMap<>();
        FinalStatsSink sink = stats -> {
            recorded.computeIfAbsent(stats.stats().sessionId(), k -> new ArrayList<>()).add(stats.stats());
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        };
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        CloudEventCodec codec = new CloudEventCodec();
        Map<String, SessionStats> live = new LinkedHashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(AnalyticsTopology.topology(SETTINGS, sink), props,
                plan.now())) {
            Map<String, TestInputTopic<String, byte[]>> topics = Map.of(
                    Topics.SESSION, driver.createInputTopic(Topics.SESSION, new StringSerializer(),
                            new ByteArraySerializer()),
                    Topics.CHAT, driver.createInputTopic(Topics.CHAT, new StringSerializer(),
                            new ByteArraySerializer()));
            pipe(driver, topics, codec, deliveries);
            KeyValueStore<String, Fact> store = driver.getKeyValueStore(AnalyticsTopology.FACTS_STORE);
            for (SessionPlan s : plan.sessions()) {
                if (s.live()) {
                    SessionFacts facts = SessionFacts.load(store, s.id()).orElseThrow();
                    live.put(s.id(), StatsCalculator.compute(facts, plan.now(), SETTINGS.viewGrace()));
                }
            }
            if (!afterFinal.isEmpty()) {
                pipe(driver, topics, codec, afterFinal);
            }
        }
        return new Replay(recorded, live);
    }

    private static void pipe(TopologyTestDriver driver, Map<String, TestInputTopic<String, byte[]>> topics,
            CloudEventCodec codec, List<Delivery> deliveries) {
        for (Delivery d : deliveries) {
            if (!d.pauseBefore().isZero()) {
                driver.advanceWallClockTime(d.pauseBefore());
            }
            ProducerRecord<String, byte[]> r = d.record(codec);
            topics.get(d.topic()).pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(),
                    Instant.ofEpochMilli(r.timestamp())));
        }
        // past final-delay (5 s) after the last fact, in punctuation-sized steps
        for (int i = 0; i < 10; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    /**
     * The differences between the oracle and the topology, one line per differing leaf: for an ended session every
     * final the sink got (none may be premature and wrong), for the live one its statistics at the plan's now.
     */
    private static List<String> compare(Plan plan, Replay replay) {
        List<String> out = new ArrayList<>();
        for (SessionPlan s : plan.sessions()) {
            SessionStats expected = ExpectedStats.withoutRevision(
                    ExpectedStats.of(s, plan.now(), SyntheticLog.VIEW_GRACE));
            if (s.live()) {
                String label = s.title() + " (live)";
                if (replay.recorded().containsKey(s.id())) {
                    out.add(label + ": a live session got final statistics");
                }
                diff(label, expected, ExpectedStats.withoutRevision(replay.live().get(s.id())), out);
                continue;
            }
            List<SessionStats> finals = replay.recorded().getOrDefault(s.id(), List.of());
            if (finals.isEmpty()) {
                out.add(s.title() + " (final): no final statistics recorded");
            }
            for (int i = 0; i < finals.size(); i++) {
                diff(s.title() + " (final #" + (i + 1) + ")", expected, ExpectedStats.withoutRevision(finals.get(i)),
                        out);
            }
        }
        return out;
    }

    /** Every differing leaf of two records (lists element by element, maps key by key). */
    static void diff(String path, Object expected, Object actual, List<String> out) {
        if (Objects.equals(expected, actual)) {
            return;
        }
        if (expected != null && actual != null && expected.getClass().isRecord()
                && expected.getClass() == actual.getClass()) {
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                try {
                    diff(path + "." + c.getName(), c.getAccessor().invoke(expected), c.getAccessor().invoke(actual),
                            out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                out.add(path + ": " + e.size() + " elements expected, " + a.size() + " actual\n    expected " + e
                        + "\n    actual   " + a);
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                diff(path + "[" + i + "]", e.get(i), a.get(i), out);
            }
            return;
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            Set<Object> keys = new LinkedHashSet<>(new TreeSet<>(e.keySet()));
            keys.addAll(new TreeSet<>(a.keySet()));
            for (Object k : keys) {
                diff(path + "{" + k + "}", e.get(k), a.get(k), out);
            }
            return;
        }
        out.add(path + ": expected " + expected + " but was " + actual);
    }
}
