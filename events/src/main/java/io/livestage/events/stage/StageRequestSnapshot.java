package io.livestage.events.stage;

import java.time.Instant;

/** A hand raise / request to come on stage, with the inputs of its queue order (xp, requestedAt, speakingSeconds). */
public record StageRequestSnapshot(
        String id,
        String identity,
        String userId,
        String name,
        StageRequestStatus status,
        int xp,
        long speakingSeconds,
        Instant requestedAt,
        Instant decidedAt,
        String decidedBy) {
}
