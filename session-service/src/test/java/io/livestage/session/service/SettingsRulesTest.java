package io.livestage.session.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.session.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings on create (defaults of the kind, then the change) and on update (the current ones, then the change). */
class SettingsRulesTest {

    private static SettingsChange participantsAndGuests(Integer maxParticipants, Integer maxGuests) {
        return new SettingsChange(maxParticipants, null, null, maxGuests, null, null, null, null, null, null, null);
    }

    private static Settings apply(SettingsChange change) {
        return SettingsRules.apply(Settings.defaults(SessionKind.AUDIO), change);
    }

    private static void assertInvalid(SettingsChange change, String field, String detail) {
        assertThatThrownBy(() -> apply(change)).isInstanceOf(ProblemException.class)
                .satisfies(e -> {
                    ProblemException problem = (ProblemException) e;
                    assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION_FAILED);
                    assertThat(problem.field()).isEqualTo(field);
                })
                .hasMessageContaining(detail);
    }

    @Test
    void defaultsDependOnTheKind() {
        Settings audio = Settings.defaults(SessionKind.AUDIO);
        Settings video = Settings.defaults(SessionKind.VIDEO);
        assertThat(audio.guestVideoDefault).isFalse();
        assertThat(video.guestVideoDefault).isTrue();
        assertThat(audio.maxParticipants).isEqualTo(500);
        assertThat(audio.maxGuests).isEqualTo(10);
        assertThat(audio.allowGuests && audio.requireApproval && audio.guestAudioDefault).isTrue();
        assertThat(audio.recordingEnabled || audio.transcriptionEnabled).isFalse();
    }

    @Test
    void noChangeKeepsEverything() {
        Settings applied = apply(null);
        assertThat(applied.sameAs(Settings.defaults(SessionKind.AUDIO))).isTrue();
    }

    @Test
    void onlyTheNamedFieldsChange() {
        Settings current = Settings.defaults(SessionKind.VIDEO);
        current.enableChat = false;
        Settings applied = SettingsRules.apply(current.copy(),
                new SettingsChange(null, false, null, 4, null, null, null, null, true, null, null));
        assertThat(applied.allowGuests).isFalse();
        assertThat(applied.maxGuests).isEqualTo(4);
        assertThat(applied.recordingEnabled).isTrue();
        assertThat(applied.enableChat).isFalse();
        assertThat(applied.maxParticipants).isEqualTo(500);
        assertThat(applied.guestVideoDefault).isTrue();
        assertThat(current.maxGuests).as("the update works on a copy").isEqualTo(10);
        assertThat(applied.sameAs(current)).isFalse();
    }

    @Test
    void everyFieldCanBeSet() {
        Settings applied = apply(new SettingsChange(50, false, false, 3, false, false, false, true, true, true, true));
        assertThat(applied.toEvent())
                .isEqualTo(new SessionSettings(50, false, false, 3, false, false, false, true, true, true, true));
    }

    @Test
    void speakerTracksAreOffByDefaultAndKeptUntilChanged() {
        Settings current = Settings.defaults(SessionKind.AUDIO);
        assertThat(current.speakerTracks).isFalse();
        Settings on = SettingsRules.apply(current.copy(),
                new SettingsChange(null, null, null, null, null, null, null, null, null, null, true));
        assertThat(on.speakerTracks).isTrue();
        assertThat(on.toEvent().speakerTracks()).isTrue();
        assertThat(on.copy().speakerTracks).isTrue();
        assertThat(on.sameAs(current)).as("a change of speakerTracks alone is a change").isFalse();
        Settings kept = SettingsRules.apply(on.copy(),
                new SettingsChange(null, null, null, null, true, null, null, null, null, null, null));
        assertThat(kept.speakerTracks).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Settings.MAX_PARTICIPANTS_LIMIT + 1})
    void maxParticipantsOutOfRangeNamesTheField(int maxParticipants) {
        assertInvalid(participantsAndGuests(maxParticipants, 0), "settings.maxParticipants", "must be between 1 and 100000");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Settings.MAX_GUESTS_LIMIT + 1})
    void maxGuestsOutOfRangeNamesTheField(int maxGuests) {
        assertInvalid(participantsAndGuests(null, maxGuests), "settings.maxGuests", "must be between 0 and 20");
    }

    @Test
    void maxGuestsMustStayBelowMaxParticipants() {
        assertInvalid(participantsAndGuests(5, 5), "settings.maxGuests", "maxGuests (5) must be below maxParticipants (5)");
        assertInvalid(participantsAndGuests(3, null), "settings.maxGuests", "maxGuests (10) must be below maxParticipants (3)");
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        assertThat(apply(participantsAndGuests(Settings.MAX_PARTICIPANTS_LIMIT, Settings.MAX_GUESTS_LIMIT)).maxGuests)
                .isEqualTo(20);
        Settings smallest = apply(participantsAndGuests(1, 0));
        assertThat(smallest.maxParticipants).isEqualTo(1);
        assertThat(smallest.maxGuests).isZero();
        assertThat(apply(participantsAndGuests(11, null)).maxParticipants).isEqualTo(11);
    }
}
