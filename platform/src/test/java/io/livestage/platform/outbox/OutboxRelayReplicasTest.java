package io.livestage.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEventHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relay with two replicas on one database (real PostgreSQL, real Kafka, the relay as the services run it,
 * without Quarkus): the relay polls only once an hour here, so every row must leave because a commit woke a relay,
 * whichever replica it was committed on and whichever replica holds the relay lock at that moment. Every event
 * arrives, each aggregate's in sequence order, none twice, and the outbox ends empty; when the publishing replica
 * stops, the other takes over. (The narrow race the publishing replica's second look after letting go of the lock
 * closes is not forced here: no test hook makes it happen on demand.)
 */
class OutboxRelayReplicasTest {
    private static final int AGGREGATES = 6;
    private static final int EVENTS_PER_AGGREGATE = 150;
    private static final Duration ONLY_WAKE_UPS = Duration.ofHours(1);

    private RelayTestBed bed;

    @BeforeEach
    void database() {
        bed = new RelayTestBed("outbox_replicas", 3);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void commitsOnEitherReplicaArePublishedInOrderOnceWithoutWaitingForAPoll() throws Exception {
        OutboxRelay a = started();
        OutboxRelay b = started();
        List<String> aggregates = aggregates(AGGREGATES);
        // writers commit each aggregate's events in sequence, on either replica at random, and wake that replica
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> done = new ArrayList<>();
        for (String aggregate : aggregates) {
            done.add(writers.submit(() -> {
                for (int seq = 1; seq <= EVENTS_PER_AGGREGATE; seq++) {
                    bed.append(aggregate, seq);
                    (ThreadLocalRandom.current().nextBoolean() ? a : b).wakeUp();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();

        Map<String, List<Long>> received = sequencesByAggregate(
                bed.consume(aggregates.size() * EVENTS_PER_AGGREGATE, Duration.ofSeconds(60)));
        for (String aggregate : aggregates) {
            assertThat(received.get(aggregate)).as("events of %s in partition order", aggregate)
                    .containsExactlyElementsOf(sequence(1, EVENTS_PER_AGGREGATE));
        }
        assertThat(bed.pending()).isZero();
    }

    @Test
    void whenThePublishingReplicaStopsTheOtherTakesOver() throws Exception {
        OutboxRelay a = started();
        OutboxRelay b = started();
        List<String> aggregates = aggregates(2);
        for (String aggregate : aggregates) {
            for (int seq = 1; seq <= 50; seq++) {
                bed.append(aggregate, seq);
            }
        }
        a.wakeUp();
        Map<String, List<Long>> first = sequencesByAggregate(bed.consume(100, Duration.ofSeconds(30)));
        assertThat(first.values()).allSatisfy(seqs -> assertThat(seqs).hasSize(50));
        a.stop();
        for (String aggregate : aggregates) {
            for (int seq = 51; seq <= 100; seq++) {
                bed.append(aggregate, seq);
            }
        }
        b.wakeUp();
        Map<String, List<Long>> all = sequencesByAggregate(bed.consume(200, Duration.ofSeconds(30)));
        for (String aggregate : aggregates) {
            assertThat(all.get(aggregate)).containsExactlyElementsOf(sequence(1, 100));
        }
        assertThat(bed.pending()).isZero();
    }

    private OutboxRelay started() {
        OutboxRelay relay = bed.relay(ONLY_WAKE_UPS);
        relay.start();
        return relay;
    }

    private static List<String> aggregates(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    private static List<Long> sequence(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    /** ce_sequence per key, in partition order. */
    private static Map<String, List<Long>> sequencesByAggregate(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, List<Long>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            out.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(Long.parseLong(RelayTestBed.header(r, CloudEventHeaders.SEQUENCE)));
        }
        return out;
    }
}
