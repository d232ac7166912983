package io.livestage.chat.model;

import java.time.Instant;

/**
 * What chat-service knows of a session, projected from session-service's events. {@code seq} is the ce_sequence of
 * the event it came from: a view only ever gives way to one with a higher sequence.
 */
public record SessionView(String id, String slug, String title, String hostId, String kind, String visibility,
        String status, boolean enableChat, boolean enableReactions, Instant endedAt, long seq) {

    public boolean isPublic() {
        return "PUBLIC".equals(visibility);
    }

    public boolean isPrivate() {
        return "PRIVATE".equals(visibility);
    }

    public boolean isOver() {
        return "ENDED".equals(status) || "CANCELLED".equals(status) || "DELETED".equals(status);
    }

    public boolean isGone() {
        return "CANCELLED".equals(status) || "DELETED".equals(status);
    }

    public SessionView newest(SessionView other) {
        return other == null || other.seq <= seq ? this : other;
    }
}
