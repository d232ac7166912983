package io.livestage.session.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.livestage.events.stage.StageRequestStatus;
import io.livestage.session.StageRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The order raised hands are listed and served in (ADR 0002), their positions, and who sees what of the queue. */
class QueueOrderTest {
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");

    private static StageRequest hand(String identity, int xp, Instant requestedAt, long speakingSeconds) {
        return hand(identity, xp, requestedAt, speakingSeconds, UUID.randomUUID());
    }

    private static StageRequest hand(String identity, int xp, Instant requestedAt, long speakingSeconds, UUID id) {
        StageRequest r = new StageRequest();
        r.id = id;
        r.identity = identity;
        r.status = StageRequestStatus.PENDING;
        r.xp = xp;
        r.requestedAt = requestedAt;
        r.speakingSeconds = speakingSeconds;
        return r;
    }

    private static List<String> order(StageRequest... pending) {
        return QueueOrder.rank(List.of(pending)).stream().map(e -> e.request().identity).toList();
    }

    @Test
    void moreXpGoesFirstWhateverTheWait() {
        assertThat(order(hand("newcomer", 10, T0, 0), hand("veteran", 500, T0.plusSeconds(60), 0)))
                .containsExactly("veteran", "newcomer");
    }

    @Test
    void withEqualXpTheLongerWaitGoesFirst() {
        assertThat(order(hand("later", 100, T0.plusSeconds(30), 0), hand("earlier", 100, T0, 600)))
                .containsExactly("earlier", "later");
    }

    @Test
    void withEqualXpAndWaitLessPastSpeakingGoesFirst() {
        assertThat(order(hand("talkative", 100, T0, 900), hand("quiet", 100, T0, 0), hand("some", 100, T0, 60)))
                .containsExactly("quiet", "some", "talkative");
    }

    @Test
    void fullTiesAreBrokenByTheIdAsPostgresOrdersUuids() {
        // UUID.compareTo is signed, so it would put the 0x80… id first; PostgreSQL compares unsigned bytes.
        UUID low = UUID.fromString("10000000-0000-0000-0000-000000000000");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        assertThat(high.compareTo(low)).isNegative();
        assertThat(order(hand("high", 0, T0, 0, high), hand("low", 0, T0, 0, low))).containsExactly("low", "high");
    }

    @Test
    void positionsCountFromOneInQueueOrder() {
        List<QueueEntry> ranked = QueueOrder.rank(List.of(hand("c", 0, T0, 0), hand("a", 50, T0, 0), hand("b", 20, T0, 0)));
        assertThat(ranked).extracting(e -> e.request().identity + "@" + e.position()).containsExactly("a@1", "b@2", "c@3");
    }

    @Test
    void aRequestsPlaceIsItsPositionOrZeroWhenNoLongerWaiting() {
        StageRequest first = hand("first", 90, T0, 0);
        StageRequest second = hand("second", 10, T0, 0);
        List<StageRequest> pending = List.of(second, first);
        assertThat(QueueOrder.placeOf(pending, second).position()).isEqualTo(2);
        assertThat(QueueOrder.placeOf(pending, first).position()).isEqualTo(1);
        StageRequest gone = hand("gone", 1000, T0, 0);
        QueueEntry place = QueueOrder.placeOf(pending, gone);
        assertThat(place.position()).isZero();
        assertThat(place.request()).isSameAs(gone);
    }

    @Test
    void moderatorsSeeTheWholeQueueOthersOnlyTheirOwnPlace() {
        List<QueueEntry> ranked = QueueOrder.rank(List.of(hand("alice", 5, T0, 0), hand("bob", 50, T0, 0)));

        QueueView host = QueueView.of(ranked, "host", true);
        assertThat(host.items()).extracting(e -> e.request().identity).containsExactly("bob", "alice");
        assertThat(host.mine()).isNull();
        assertThat(host.moderator()).isTrue();

        QueueView alice = QueueView.of(ranked, "alice", false);
        assertThat(alice.items()).isEmpty();
        assertThat(alice.mine().request().identity).isEqualTo("alice");
        assertThat(alice.mine().position()).isEqualTo(2);

        assertThat(QueueView.of(ranked, "carol", false).mine()).isNull();
    }
}
