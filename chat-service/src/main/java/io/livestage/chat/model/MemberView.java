package io.livestage.chat.model;

/**
 * A participant of a session as chat-service knows it (from session-service's participant events): role badge,
 * whether on stage, whether removed from the session. {@code seq} orders views of the same participant.
 */
public record MemberView(String userId, String name, String role, boolean onStage, boolean removed, long seq) {

    public boolean isModerator() {
        return "HOST".equals(role) || "COHOST".equals(role);
    }

    public MemberView newest(MemberView other) {
        return other == null || other.seq <= seq ? this : other;
    }
}
