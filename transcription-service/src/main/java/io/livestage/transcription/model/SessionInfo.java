package io.livestage.transcription.model;

import java.time.Instant;
import java.util.UUID;

/** The projection of a session, as transcription needs it. */
public record SessionInfo(UUID id, String slug, String title, String hostId, String visibility, String status,
        boolean transcriptionEnabled, Instant startedAt, Instant endedAt) {

    public boolean active() {
        return "ACTIVE".equals(status);
    }
}
