package io.livestage.events.participant;

/**
 * {@code participant.media-changed}: LiveKit reported that the participant published, unpublished or (un)muted a
 * microphone or camera; the snapshot's {@code audioMuted}/{@code videoMuted} are the new state, {@code source} the
 * track's source (MICROPHONE or CAMERA).
 */
public record ParticipantMediaChanged(ParticipantSnapshot participant, String source)
        implements ParticipantChange {
}
