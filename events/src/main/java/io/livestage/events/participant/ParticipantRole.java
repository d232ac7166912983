package io.livestage.events.participant;

/** A participant's role in one session. HOST, COHOST and GUEST are on stage (may publish); VIEWER listens. */
public enum ParticipantRole {
    HOST, COHOST, GUEST, VIEWER;

    public boolean onStage() {
        return this != VIEWER;
    }

    public boolean moderates() {
        return this == HOST || this == COHOST;
    }
}
