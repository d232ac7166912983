package io.livestage.events.participant;

/**
 * {@code participant.unmute-requested}: a moderator asks the participant to unmute (LiveKit refuses remote unmute by
 * default, so the participant decides); {@code audio}/{@code video} say what to unmute.
 */
public record ParticipantUnmuteRequested(ParticipantSnapshot participant, boolean audio, boolean video,
        String requestedBy)
        implements ParticipantChange {
}
