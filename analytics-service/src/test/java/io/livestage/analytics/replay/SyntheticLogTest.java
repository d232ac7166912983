package io.livestage.analytics.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.livestage.analytics.replay.SyntheticLog.Delivery;
import io.livestage.analytics.replay.SyntheticLog.Outcome;
import io.livestage.analytics.replay.SyntheticLog.Participant;
import io.livestage.analytics.replay.SyntheticLog.Request;
import io.livestage.analytics.replay.SyntheticLog.SessionPlan;
import io.livestage.analytics.replay.SyntheticLog.StepKind;
import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.codec.Decoded;
import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator itself: deterministic, well-formed CloudEvents, and the disorder it promises. */
class SyntheticLogTest {
    private static final SyntheticLog LOG = SyntheticLog.generate(20261205L);
    private final CloudEventCodec codec = new CloudEventCodec();

    @Test
    void theSameSeedGivesTheSameLog() {
        SyntheticLog again = SyntheticLog.generate(20261205L);
        assertThat(again.plan()).isEqualTo(LOG.plan());
        assertThat(again.deliveries()).isEqualTo(LOG.deliveries());
        assertThat(SyntheticLog.generate(7L).plan()).isNotEqualTo(LOG.plan());
    }

    @Test
    void threeSessionsOneLiveWithHundredsOfViewers() {
        List<SessionPlan> sessions = LOG.plan().sessions();
        assertThat(sessions).hasSize(3);
        assertThat(sessions).filteredOn(SessionPlan::live).hasSize(1);
        for (SessionPlan s : sessions) {
            Set<String> viewers = new HashSet<>();
            s.connections().stream().filter(c -> c.role() == ParticipantRole.VIEWER)
                    .forEach(c -> viewers.add(c.userId() != null ? c.userId() : c.connectionId()));
            assertThat(viewers.size()).as(s.title()).isBetween(300, 700);
            assertThat(s.connections()).anyMatch(c -> c.leftAt() == null);
            assertThat(s.connections()).anyMatch(c -> !c.joinDelivered());
            assertThat(s.requests()).extracting(Request::outcome).contains(Outcome.APPROVED, Outcome.REJECTED,
                    Outcome.WITHDRAWN, Outcome.PENDING);
        }
    }

    @Test
    void everyApprovalIsOnItsParticipantAndNothingHappensAfterNow() {
        for (SessionPlan s : LOG.plan().sessions()) {
            Map<String, Participant> byUser = new HashMap<>();
            s.participants().forEach(p -> byUser.put(p.userId(), p));
            for (Request r : s.requests()) {
                if (r.outcome() == Outcome.APPROVED) {
                    assertThat(byUser.get(r.userId()).steps()).anyMatch(
                            step -> step.kind() == StepKind.APPROVED && r.requestId().equals(step.requestId()));
                }
            }
        }
        for (Delivery d : LOG.deliveries()) {
            assertThat(d.event().time()).isBeforeOrEqualTo(LOG.plan().now());
        }
    }

    /** Each (session, topic) stream has sequences 1..n without gaps, in time order, one event per sequence. */
    @Test
    void sequencesArePerSessionAndTopic() {
        Map<String, Map<Long, CloudEvent<?>>> streams = new HashMap<>();
        for (Delivery d : LOG.deliveries()) {
            CloudEvent<?> previous = streams.computeIfAbsent(d.key() + " " + d.topic(), k -> new HashMap<>())
                    .putIfAbsent(d.event().sequence(), d.event());
            if (previous != null) {
                assertThat(previous).isEqualTo(d.event());
            }
            assertThat(d.event().subject()).isEqualTo(d.key());
            assertThat(EventType.fromTypeName(d.event().type()).topic()).isEqualTo(d.topic());
            assertThat(d.event().dataSchema()).isEqualTo(EventType.fromTypeName(d.event().type()).schemaUri());
        }
        assertThat(streams).hasSize(6);
        for (Map<Long, CloudEvent<?>> stream : streams.values()) {
            for (long seq = 1; seq <= stream.size(); seq++) {
                assertThat(stream).containsKey(seq);
                if (seq > 1) {
                    assertThat(stream.get(seq).time()).isAfterOrEqualTo(stream.get(seq - 1).time());
                }
                if (stream.get(seq).data() instanceof ChatMessagePosted m) {
                    assertThat(m.seq()).isEqualTo(seq);
                }
            }
        }
    }

    @Test
    void everyDeliveryRoundTripsThroughTheCodec() {
        for (Delivery d : LOG.deliveries()) {
            ProducerRecord<String, byte[]> produced = d.record(codec);
            ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>(produced.topic(), 0, 0,
                    produced.timestamp(), TimestampType.CREATE_TIME, -1, produced.value().length, produced.key(),
                    produced.value(), produced.headers(), Optional.empty());
            Decoded<?> decoded = codec.decode(consumed, Topics.eventType(d.topic()));
            assertThat(decoded).isInstanceOf(Decoded.Event.class);
            assertThat(((Decoded.Event<?>) decoded).event()).isEqualTo(d.event());
        }
    }

    @Test
    void duplicatesAndDisorderArePresent() {
        List<Delivery> deliveries = LOG.deliveries();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (Delivery d : deliveries) {
            if (!ids.add(d.event().id())) {
                duplicates++;
            }
        }
        assertThat(duplicates).isGreaterThan(100);

        // a LEFT before its JOINED
        Set<String> joined = new HashSet<>();
        int leftFirst = 0;
        for (Delivery d : deliveries) {
            if (d.event().data() instanceof ViewerPresence v) {
                if (v.change() == ViewerPresence.PresenceChange.JOINED) {
                    joined.add(v.connectionId());
                } else if (!joined.contains(v.connectionId()) && v.role() == ParticipantRole.VIEWER) {
                    leftFirst++;
                }
            }
        }
        assertThat(leftFirst).isGreaterThan(10);

        // per session stream: a lower sequence delivered after a higher one, for chat messages and session snapshots
        Map<String, Long> highest = new HashMap<>();
        Set<String> backwards = new HashSet<>();
        for (Delivery d : deliveries) {
            String stream = d.key() + " " + d.topic();
            long seq = d.event().sequence();
            if (seq < highest.getOrDefault(stream, 0L)) {
                backwards.add(d.event().type());
            }
            highest.merge(stream, seq, Math::max);
        }
        assertThat(backwards).contains("chat.message", "session.created", "session.updated", "session.started",
                "viewer.presence");
        assertThat(backwards).anyMatch(type -> type.startsWith("participant."));

        // chat messages after their session's session.ended, within 5 s of wall clock in total
        for (SessionPlan s : LOG.plan().sessions()) {
            if (s.live()) {
                continue;
            }
            boolean ended = false;
            List<Duration> pauses = new ArrayList<>();
            int lateMessages = 0;
            for (Delivery d : deliveries) {
                if (!d.key().equals(s.id())) {
                    continue;
                }
                ended |= d.event().type().equals("session.ended");
                if (ended && d.event().data() instanceof ChatMessagePosted) {
                    lateMessages++;
                    pauses.add(d.pauseBefore());
                }
            }
            assertThat(lateMessages).isGreaterThanOrEqualTo(2);
            assertThat(pauses.stream().mapToLong(Duration::toMillis).sum()).isPositive().isLessThan(5000);
        }
    }

    /** The oracle on the generated plan agrees with itself in simple invariants (a sanity net for both). */
    @Test
    void theOracleOnTheGeneratedPlanIsConsistent() {
        for (SessionPlan s : LOG.plan().sessions()) {
            var stats = ExpectedStats.of(s, LOG.plan().now(), SyntheticLog.VIEW_GRACE);
            var a = stats.audience();
            assertThat(a.views()).isGreaterThanOrEqualTo(a.uniqueViewers());
            assertThat(a.peakConcurrent()).isPositive().isLessThanOrEqualTo(a.uniqueViewers());
            assertThat(a.concurrencyPerMinute()).extracting(p -> p.value()).contains(a.peakConcurrent());
            assertThat(a.concurrencyPerMinute()).allMatch(p -> p.value() <= a.peakConcurrent());
            assertThat(a.devices().stream().mapToLong(c -> c.count()).sum()).isGreaterThanOrEqualTo(a.uniqueViewers());
            assertThat(a.topRegions()).hasSize(10);
            assertThat(stats.chat().perMinute().stream().mapToLong(p -> p.value()).sum())
                    .isEqualTo(stats.chat().messages());
            assertThat(stats.chat().perMinute()).hasSameSizeAs(a.concurrencyPerMinute());
            assertThat(stats.stage().spoke()).isPositive().isLessThan(stats.stage().approved());
            assertThat(stats.stage().approvals()).isGreaterThan(stats.stage().approved());
            assertThat(stats.stage().requests()).isGreaterThan(stats.stage().raisedHands());
            assertThat(stats.live()).isEqualTo(s.live());
            if (s.live()) {
                assertThat(a.concurrent()).isPositive();
            }
        }
    }
}
