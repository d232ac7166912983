package io.livestage.recording.model;

import java.util.UUID;

/** The projection of a session, as recording needs it. */
public record SessionInfo(UUID id, String slug, String title, String hostId, String kind, String visibility,
        String status, boolean recordingEnabled) {

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
