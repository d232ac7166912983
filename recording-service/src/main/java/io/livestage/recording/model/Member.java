package io.livestage.recording.model;

/** A participant of a session, as the projection knows it. */
public record Member(String userId, String role, boolean removed) {

    public boolean cohost() {
        return "COHOST".equals(role) && !removed;
    }
}
