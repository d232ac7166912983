package io.livestage.events.session;

/**
 * Host-chosen settings of a session, as carried by every session event. {@code speakerTracks} (added later, absent =
 * false): while a recording is live, each stage speaker's microphone is also recorded to a file of its own.
 */
public record SessionSettings(
        int maxParticipants,
        boolean allowGuests,
        boolean requireApproval,
        int maxGuests,
        boolean enableChat,
        boolean enableReactions,
        boolean guestAudioDefault,
        boolean guestVideoDefault,
        boolean recordingEnabled,
        boolean transcriptionEnabled,
        boolean speakerTracks) {

    /** The settings before {@code speakerTracks} existed: per-speaker tracks off. */
    public SessionSettings(int maxParticipants, boolean allowGuests, boolean requireApproval, int maxGuests,
            boolean enableChat, boolean enableReactions, boolean guestAudioDefault, boolean guestVideoDefault,
            boolean recordingEnabled, boolean transcriptionEnabled) {
        this(maxParticipants, allowGuests, requireApproval, maxGuests, enableChat, enableReactions, guestAudioDefault,
                guestVideoDefault, recordingEnabled, transcriptionEnabled, false);
    }
}
