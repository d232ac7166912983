package io.livestage.token.livekit;

import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackSource;
import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole role × kind matrix of publish rights, least privilege. */
class LiveKitPermissionsTest {

    @Test
    void everyRoleAndKind() {
        assertThat(LiveKitPermissions.of(ParticipantRole.HOST, SessionKind.AUDIO).sources()).containsExactly("microphone");
        assertThat(LiveKitPermissions.of(ParticipantRole.COHOST, SessionKind.AUDIO).sources()).containsExactly("microphone");
        assertThat(LiveKitPermissions.of(ParticipantRole.GUEST, SessionKind.AUDIO).sources()).containsExactly("microphone");
        assertThat(LiveKitPermissions.of(ParticipantRole.HOST, SessionKind.VIDEO).sources())
                .containsExactly("camera", "microphone", "screen_share", "screen_share_audio");
        assertThat(LiveKitPermissions.of(ParticipantRole.COHOST, SessionKind.VIDEO).sources())
                .containsExactly("camera", "microphone", "screen_share", "screen_share_audio");
        assertThat(LiveKitPermissions.of(ParticipantRole.GUEST, SessionKind.VIDEO).sources()).containsExactly("camera", "microphone");
        for (SessionKind kind : SessionKind.values()) {
            LiveKitPermissions.Rights viewer = LiveKitPermissions.of(ParticipantRole.VIEWER, kind);
            assertThat(viewer.canPublish()).isFalse();
            assertThat(viewer.canPublishData()).isFalse();
            assertThat(viewer.canSubscribe()).isTrue();
            assertThat(viewer.sources()).isEmpty();
        }
    }

    @Test
    void liveUpdatesCarryTheSameRightsAsTokens() {
        ParticipantPermission guest = LiveKitPermissions.permission(ParticipantRole.GUEST, SessionKind.VIDEO);
        assertThat(guest.getCanPublish()).isTrue();
        assertThat(guest.getCanPublishSourcesList()).containsExactly(TrackSource.CAMERA, TrackSource.MICROPHONE);
        ParticipantPermission demoted = LiveKitPermissions.permission(ParticipantRole.VIEWER, SessionKind.VIDEO);
        assertThat(demoted.getCanPublish()).isFalse();
        assertThat(demoted.getCanPublishSourcesList()).isEmpty();
    }
}
