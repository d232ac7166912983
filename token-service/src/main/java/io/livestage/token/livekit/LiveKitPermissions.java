package io.livestage.token.livekit;

import java.util.List;

import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackSource;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;

/**
 * Least-privilege LiveKit rights per role and session kind, used both in tokens and in live UpdateParticipant calls.
 * Hosts and cohosts: microphone (AUDIO) or camera, microphone and screen share (VIDEO); guests: microphone, plus the
 * camera in VIDEO sessions; viewers: subscribe only.
 */
public final class LiveKitPermissions {
    private LiveKitPermissions() {
    }

    public record Rights(boolean canPublish, boolean canSubscribe, boolean canPublishData, List<String> sources) {
    }

    public static Rights of(ParticipantRole role, SessionKind kind) {
        return switch (role) {
            case HOST, COHOST -> new Rights(true, true, true, kind == SessionKind.VIDEO
                    ? List.of("camera", "microphone", "screen_share", "screen_share_audio")
                    : List.of("microphone"));
            case GUEST -> new Rights(true, true, true, kind == SessionKind.VIDEO
                    ? List.of("camera", "microphone")
                    : List.of("microphone"));
            case VIEWER -> new Rights(false, true, false, List.of());
        };
    }

    public static ParticipantPermission permission(ParticipantRole role, SessionKind kind) {
        Rights rights = of(role, kind);
        ParticipantPermission.Builder permission = ParticipantPermission.newBuilder()
                .setCanPublish(rights.canPublish())
                .setCanSubscribe(rights.canSubscribe())
                .setCanPublishData(rights.canPublishData());
        for (String source : rights.sources()) {
            permission.addCanPublishSources(trackSource(source));
        }
        return permission.build();
    }

    static TrackSource trackSource(String source) {
        return switch (source) {
            case "camera" -> TrackSource.CAMERA;
            case "microphone" -> TrackSource.MICROPHONE;
            case "screen_share" -> TrackSource.SCREEN_SHARE;
            case "screen_share_audio" -> TrackSource.SCREEN_SHARE_AUDIO;
            default -> throw new IllegalArgumentException("Unknown track source " + source);
        };
    }
}
