package io.livestage.session;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;

/** Role changes move a participant on and off the stage, and speaking time follows: it runs only on stage and present. */
class ParticipantRoleTest {
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");

    private static Participant viewer() {
        Participant p = new Participant();
        p.role = ParticipantRole.VIEWER;
        p.joinedAt = T0;
        p.arrive(T0);
        return p;
    }

    @Test
    void comingOnStageStartsTheClockAndLeavingItStopsIt() {
        Participant p = viewer();
        p.changeRole(ParticipantRole.GUEST, T0.plusSeconds(10));
        assertThat(p.publishingSince).isEqualTo(T0.plusSeconds(10));
        p.changeRole(ParticipantRole.VIEWER, T0.plusSeconds(40));
        assertThat(p.publishingSince).isNull();
        assertThat(p.speakingSecondsAt(T0.plusSeconds(100))).isEqualTo(30);
    }

    @Test
    void movingBetweenStageRolesKeepsOneSpeakingPeriod() {
        Participant p = viewer();
        p.changeRole(ParticipantRole.GUEST, T0.plusSeconds(10));
        p.changeRole(ParticipantRole.COHOST, T0.plusSeconds(20));
        assertThat(p.publishingSince).isEqualTo(T0.plusSeconds(10));
        assertThat(p.speakingSecondsAt(T0.plusSeconds(70))).isEqualTo(60);
    }

    @Test
    void aPromotionWhileAwayDoesNotCountAsSpeaking() {
        Participant p = viewer();
        p.depart(T0.plusSeconds(5));
        p.changeRole(ParticipantRole.GUEST, T0.plusSeconds(10));
        assertThat(p.role).isEqualTo(ParticipantRole.GUEST);
        assertThat(p.publishingSince).isNull();
        p.arrive(T0.plusSeconds(60));
        assertThat(p.isPresent()).isTrue();
        assertThat(p.speakingSecondsAt(T0.plusSeconds(90))).isEqualTo(30);
    }

    @Test
    void leavingClosesTheSpeakingPeriodAndARemovalIsForGood() {
        Participant p = viewer();
        p.changeRole(ParticipantRole.GUEST, T0);
        p.depart(T0.plusSeconds(25));
        assertThat(p.isPresent()).isFalse();
        assertThat(p.speakingSeconds).isEqualTo(25);
        p.removedAt = T0.plusSeconds(30);
        p.arrive(T0.plusSeconds(40));
        assertThat(p.isRemoved()).isTrue();
        assertThat(p.isPresent()).isFalse();
    }
}
