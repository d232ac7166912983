package io.livestage.events.participant;

/** {@code participant.muted}: a moderator muted the participant's audio and/or video. */
public record ParticipantMuted(ParticipantSnapshot participant, boolean audio, boolean video, String mutedBy)
        implements ParticipantChange {
}
