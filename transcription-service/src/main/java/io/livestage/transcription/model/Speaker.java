package io.livestage.transcription.model;

/** The projection of a participant: who may stream audio (HOST, COHOST, GUEST, present, not removed). */
public record Speaker(String userId, String identity, String name, String role, boolean present, boolean removed) {

    public boolean onStage() {
        return present && !removed && ("HOST".equals(role) || "COHOST".equals(role) || "GUEST".equals(role));
    }
}
