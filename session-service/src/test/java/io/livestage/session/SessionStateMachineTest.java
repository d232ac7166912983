package io.livestage.session;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionStatus;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session lifecycle: SCHEDULED -> ACTIVE -> ENDED, SCHEDULED -> CANCELLED, and what each state allows. */
class SessionStateMachineTest {
    private static final Instant NOW = Instant.parse("2026-11-21T18:00:00Z");

    private static Session session(SessionStatus status) {
        Session s = new Session();
        s.id = UUID.randomUUID();
        s.kind = SessionKind.AUDIO;
        s.status = status;
        s.settings = Settings.defaults(SessionKind.AUDIO);
        return s;
    }

    private static void assertRefused(Runnable transition, String detail) {
        assertThatThrownBy(transition::run).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).type()).isEqualTo(ProblemType.ILLEGAL_STATE))
                .hasMessageContaining(detail);
    }

    @Test
    void scheduledGoesLiveThenEnds() {
        Session s = session(SessionStatus.SCHEDULED);
        s.start(NOW);
        assertThat(s.status).isEqualTo(SessionStatus.ACTIVE);
        assertThat(s.startedAt).isEqualTo(NOW);
        assertThat(s.updatedAt).isEqualTo(NOW);
        s.end(NOW.plusSeconds(90));
        assertThat(s.status).isEqualTo(SessionStatus.ENDED);
        assertThat(s.endedAt).isEqualTo(NOW.plusSeconds(90));
        assertThat(s.durationSeconds()).isEqualTo(90);
    }

    @Test
    void scheduledCanBeCancelled() {
        Session s = session(SessionStatus.SCHEDULED);
        s.cancel(NOW);
        assertThat(s.status).isEqualTo(SessionStatus.CANCELLED);
        assertThat(s.updatedAt).isEqualTo(NOW);
        assertThat(s.durationSeconds()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = SessionStatus.class, names = "SCHEDULED", mode = EnumSource.Mode.EXCLUDE)
    void onlyAScheduledSessionStarts(SessionStatus status) {
        Session s = session(status);
        assertRefused(() -> s.start(NOW), "Only a SCHEDULED session can start; this one is " + status);
        assertThat(s.status).isEqualTo(status);
        assertThat(s.startedAt).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = SessionStatus.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
    void onlyALiveSessionEnds(SessionStatus status) {
        Session s = session(status);
        assertRefused(() -> s.end(NOW), "Only an ACTIVE session can end; this one is " + status);
        assertThat(s.status).isEqualTo(status);
        assertThat(s.endedAt).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = SessionStatus.class, names = "SCHEDULED", mode = EnumSource.Mode.EXCLUDE)
    void onlyAScheduledSessionIsCancelled(SessionStatus status) {
        Session s = session(status);
        assertRefused(() -> s.cancel(NOW), "Only a SCHEDULED session can be cancelled; this one is " + status);
        assertThat(s.status).isEqualTo(status);
    }

    @Test
    void theRefusalSaysWhatToDoInstead() {
        assertRefused(() -> session(SessionStatus.SCHEDULED).end(NOW), "(cancel it instead)");
        assertRefused(() -> session(SessionStatus.ACTIVE).cancel(NOW), "(end it instead)");
    }

    @Test
    void aScheduledSessionStartsFromFifteenMinutesBeforeItsTime() {
        Session early = session(SessionStatus.SCHEDULED);
        early.scheduledAt = NOW.plus(Session.EARLY_START).plusSeconds(1);
        assertRefused(() -> early.start(NOW), "it can start from 15 minutes before");
        assertThat(early.status).isEqualTo(SessionStatus.SCHEDULED);

        Session onTime = session(SessionStatus.SCHEDULED);
        onTime.scheduledAt = NOW.plus(Session.EARLY_START);
        onTime.start(NOW);
        assertThat(onTime.status).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    void anUnscheduledSessionStartsWhenever() {
        Session s = session(SessionStatus.SCHEDULED);
        s.start(NOW);
        assertThat(s.status).isEqualTo(SessionStatus.ACTIVE);
    }

    @ParameterizedTest
    @EnumSource(value = SessionStatus.class, names = {"ENDED", "CANCELLED"})
    void anEndedOrCancelledSessionIsOverAndFrozen(SessionStatus status) {
        Session s = session(status);
        assertThat(s.isOver()).isTrue();
        assertRefused(s::checkEditable, "can no longer be changed");
        assertRefused(() -> s.checkJoinable(NOW), "it can no longer be joined");
    }

    @ParameterizedTest
    @EnumSource(value = SessionStatus.class, names = {"SCHEDULED", "ACTIVE"})
    void aScheduledOrLiveSessionCanStillChange(SessionStatus status) {
        Session s = session(status);
        assertThat(s.isOver()).isFalse();
        assertThatCode(s::checkEditable).doesNotThrowAnyException();
    }

    @Test
    void onlyALiveSessionCannotBeDeleted() {
        assertRefused(session(SessionStatus.ACTIVE)::checkDeletable, "A live session cannot be deleted");
        for (SessionStatus status : new SessionStatus[] {SessionStatus.SCHEDULED, SessionStatus.ENDED, SessionStatus.CANCELLED}) {
            assertThatCode(session(status)::checkDeletable).as(status.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void joinersAreLetInFromFifteenMinutesBeforeTheScheduledTime() {
        Session s = session(SessionStatus.SCHEDULED);
        s.scheduledAt = NOW.plus(Duration.ofHours(1));
        assertRefused(() -> s.checkJoinable(NOW), "This session opens at " + NOW.plus(Duration.ofMinutes(45)));
        assertThatCode(() -> s.checkJoinable(NOW.plus(Duration.ofMinutes(45)))).doesNotThrowAnyException();
        assertThatCode(() -> session(SessionStatus.SCHEDULED).checkJoinable(NOW)).doesNotThrowAnyException();
        assertThatCode(() -> session(SessionStatus.ACTIVE).checkJoinable(NOW)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = SessionStatus.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
    void theStageOpensOnlyWhileLive(SessionStatus status) {
        assertRefused(session(status)::checkStageOpen, "The stage opens when the session is live; it is " + status);
    }

    @Test
    void theStageStaysClosedWhenTheHostTakesNoGuests() {
        Session s = session(SessionStatus.ACTIVE);
        assertThatCode(s::checkStageOpen).doesNotThrowAnyException();
        s.settings.allowGuests = false;
        assertRefused(s::checkStageOpen, "The host does not take guests");
    }

    @Test
    void everyChangeTakesTheNextEventSequence() {
        Session s = session(SessionStatus.SCHEDULED);
        s.eventSequence = 1;
        assertThat(s.nextEventSequence()).isEqualTo(2);
        assertThat(s.nextEventSequence()).isEqualTo(3);
        assertThat(s.eventSequence).isEqualTo(3);
    }
}
