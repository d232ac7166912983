package io.livestage.recording.model;

import java.util.UUID;

/**
 * The projection of a session, as recording needs it. {@code speakerTracks}: while a recording is live, every stage
 * speaker's microphone is recorded to a file of its own too.
 */
public record SessionInfo(UUID id, String slug, String title, String hostId, String kind, String visibility,
        String status, boolean recordingEnabled, boolean speakerTracks) {

    public boolean active() {
        return "ACTIVE".equals(status);
    }

    public boolean video() {
        return "VIDEO".equals(kind);
    }

    public boolean privateSession() {
        return "PRIVATE".equals(visibility);
    }
}
