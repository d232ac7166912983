package io.livestage.session;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

/** What LiveKit's joins and leaves do to a participant record: presence and speaking time. */
class ParticipantPresenceTest {
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");

    private static Participant guestOnStageSince(Instant at) {
        Participant p = new Participant();
        p.role = ParticipantRole.GUEST;
        p.joinedAt = at;
        p.arrive(at);
        return p;
    }

    @Test
    void speakingStopsAtTheLeaveButThePresenceWaitsForTheGrace() {
        Participant p = guestOnStageSince(T0);
        p.disconnect(T0.plusSeconds(60));
        assertThat(p.isPresent()).isTrue();
        assertThat(p.speakingSecondsAt(T0.plusSeconds(600))).isEqualTo(60);
        p.depart(p.disconnectedAt);
        assertThat(p.isPresent()).isFalse();
        assertThat(p.leftAt).isEqualTo(T0.plusSeconds(60));
        assertThat(p.disconnectedAt).isNull();
        assertThat(p.speakingSecondsAt(T0.plusSeconds(600))).isEqualTo(60);
    }

    @Test
    void aRejoinWithinTheGraceResumesSpeaking() {
        Participant p = guestOnStageSince(T0);
        p.disconnect(T0.plusSeconds(60));
        p.connect(T0.plusSeconds(70));
        assertThat(p.disconnectedAt).isNull();
        assertThat(p.connectedAt).isEqualTo(T0.plusSeconds(70));
        assertThat(p.speakingSecondsAt(T0.plusSeconds(100))).isEqualTo(90);
    }

    @Test
    void webhooksOutOfOrderAreRecognised() {
        Participant p = guestOnStageSince(T0);
        p.connect(T0.plusSeconds(10));
        assertThat(p.isStaleDisconnect(T0.plusSeconds(5))).isTrue();
        assertThat(p.isStaleDisconnect(T0.plusSeconds(10))).isFalse();
        p.disconnect(T0.plusSeconds(20));
        assertThat(p.isStaleConnect(T0.plusSeconds(10))).isTrue();
        assertThat(p.isStaleConnect(T0.plusSeconds(20))).isFalse();
    }

    @Test
    void aViewerAccruesNoSpeakingTime() {
        Participant p = new Participant();
        p.role = ParticipantRole.VIEWER;
        p.connect(T0);
        p.disconnect(T0.plusSeconds(60));
        assertThat(p.speakingSecondsAt(T0.plusSeconds(60))).isZero();
    }
}
