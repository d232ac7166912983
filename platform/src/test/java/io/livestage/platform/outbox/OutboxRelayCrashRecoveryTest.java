package io.livestage.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEventHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay at the two dangerous points of a crash (real PostgreSQL and Kafka): rows committed while no relay runs
 * leave when one runs again, and a row whose delete was lost after Kafka acknowledged it leaves again with the same
 * {@code ce_id} (at least once; consumers deduplicate on it).
 */
class OutboxRelayCrashRecoveryTest {
    private RelayTestBed bed;

    @BeforeEach
    void database() {
        bed = new RelayTestBed("outbox_crash", 1);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void rowsCommittedWhileNoRelayRanArePublishedWhenOneRuns() throws Exception {
        String aggregate = UUID.randomUUID().toString();
        for (int seq = 1; seq <= 3; seq++) {
            bed.append(aggregate, seq);
        }
        OutboxRelay relay = bed.relay(Duration.ofMillis(100));
        relay.start();

        List<ConsumerRecord<String, byte[]>> records = bed.consume(3, Duration.ofSeconds(30));
        assertThat(records).extracting(r -> RelayTestBed.header(r, CloudEventHeaders.SEQUENCE))
                .containsExactly("1", "2", "3");
        assertThat(records).extracting(r -> RelayTestBed.header(r, CloudEventHeaders.REQUEST_ID))
                .containsExactly("req-1-test", "req-2-test", "req-3-test");
        assertThat(relay.isRunning()).isTrue();
    }

    @Test
    void aRowWhoseDeleteWasLostIsRepublishedWithTheSameId() throws Exception {
        OutboxRelay relay = bed.relay(Duration.ofHours(1));
        UUID id = UUID.randomUUID();
        String aggregate = UUID.randomUUID().toString();
        bed.append(id, aggregate, 1);

        assertThat(relay.drainOnce()).isEqualTo(1);
        assertThat(bed.pending()).isZero();
        assertThat(relay.lastPublishedAt()).isNotNull();

        bed.append(id, aggregate, 1); // the row as it was before the lost delete
        assertThat(relay.drainOnce()).isEqualTo(1);

        List<ConsumerRecord<String, byte[]>> copies = bed.consume(2, Duration.ofSeconds(30));
        assertThat(copies).hasSize(2);
        assertThat(copies).extracting(r -> RelayTestBed.header(r, CloudEventHeaders.ID)).containsOnly(id.toString());
        assertThat(copies.get(1).offset()).isGreaterThan(copies.get(0).offset());
        assertThat(bed.pending()).isZero();
        assertThat(relay.drainOnce()).as("nothing left to publish").isZero();
    }
}
