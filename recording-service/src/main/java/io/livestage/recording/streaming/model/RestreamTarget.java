package io.livestage.recording.streaming.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A saved restream target as its owner sees it: never the stream key, only its last characters ({@code keyHint}).
 * {@code autoStart}: restreamed from the start of each of the owner's sessions.
 */
public record RestreamTarget(UUID id, String ownerId, String name, TargetKind kind, String serverUrl, String keyHint,
        boolean autoStart, Instant createdAt, Instant updatedAt) {

    /** The key as shown to its owner: bullets and the last characters. */
    public String maskedKey() {
        return "••••" + keyHint;
    }
}
