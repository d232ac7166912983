package io.livestage.session;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.livestage.events.stage.StageRequestStatus;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A raised hand is decided once: PENDING -> APPROVED, REJECTED, WITHDRAWN or EXPIRED, never again after. */
class StageRequestDecisionTest {
    private static final Instant NOW = Instant.parse("2026-11-21T18:00:00Z");

    private static StageRequest pending() {
        StageRequest r = new StageRequest();
        r.status = StageRequestStatus.PENDING;
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = StageRequestStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void aPendingRequestIsDecidedWithWhoAndWhen(StageRequestStatus outcome) {
        StageRequest r = pending();
        r.decide(outcome, "host-1", NOW);
        assertThat(r.status).isEqualTo(outcome);
        assertThat(r.decidedBy).isEqualTo("host-1");
        assertThat(r.decidedAt).isEqualTo(NOW);
    }

    @ParameterizedTest
    @EnumSource(value = StageRequestStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void aDecidedRequestIsNotDecidedAgain(StageRequestStatus first) {
        StageRequest r = pending();
        r.decide(first, "host-1", NOW);
        assertThatThrownBy(() -> r.decide(StageRequestStatus.APPROVED, "cohost-2", NOW.plusSeconds(5)))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).type()).isEqualTo(ProblemType.ILLEGAL_STATE))
                .hasMessage("This request is already " + first);
        assertThat(r.status).isEqualTo(first);
        assertThat(r.decidedBy).isEqualTo("host-1");
        assertThat(r.decidedAt).isEqualTo(NOW);
    }
}
