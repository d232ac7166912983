package io.livestage.session.service;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.session.Participant;
import io.livestage.session.Session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may moderate a session: its host, and cohosts while they are in the room. */
class SceneTest {
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");

    private static Session hostedBy(String hostId) {
        Session s = new Session();
        s.hostId = hostId;
        return s;
    }

    private static Participant present(String userId, ParticipantRole role) {
        Participant p = new Participant();
        p.userId = userId;
        p.identity = userId;
        p.role = role;
        p.arrive(T0);
        return p;
    }

    @Test
    void theHostModeratesEvenBeforeJoining() {
        assertThat(new Scene(hostedBy("h"), null).callerModerates("h")).isTrue();
    }

    @Test
    void aPresentCohostModeratesAGuestOrViewerDoesNot() {
        assertThat(new Scene(hostedBy("h"), present("c", ParticipantRole.COHOST)).callerModerates("c")).isTrue();
        assertThat(new Scene(hostedBy("h"), present("g", ParticipantRole.GUEST)).callerModerates("g")).isFalse();
        assertThat(new Scene(hostedBy("h"), present("v", ParticipantRole.VIEWER)).callerModerates("v")).isFalse();
        assertThat(new Scene(hostedBy("h"), null).callerModerates("stranger")).isFalse();
    }

    @Test
    void aCohostWhoLeftNoLongerModerates() {
        Participant cohost = present("c", ParticipantRole.COHOST);
        cohost.depart(T0.plusSeconds(5));
        Scene scene = new Scene(hostedBy("h"), cohost);
        assertThat(scene.callerModerates("c")).isFalse();
        assertThatThrownBy(() -> scene.requireModerator(new Caller("c", "C", 0)))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).type()).isEqualTo(ProblemType.FORBIDDEN));
        assertThatCode(() -> scene.requireModerator(new Caller("h", "H", 0))).doesNotThrowAnyException();
    }

    @Test
    void onlyAPresentCallerActsAsAParticipant() {
        Participant viewer = present("v", ParticipantRole.VIEWER);
        assertThat(new Scene(hostedBy("h"), viewer).presentMe("join first")).isSameAs(viewer);
        viewer.depart(T0.plusSeconds(1));
        assertThatThrownBy(() -> new Scene(hostedBy("h"), viewer).presentMe("join first"))
                .isInstanceOf(ProblemException.class).hasMessage("join first");
        assertThatThrownBy(() -> new Scene(hostedBy("h"), null).presentMe("join first"))
                .isInstanceOf(ProblemException.class).hasMessage("join first");
    }
}
