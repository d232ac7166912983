package io.livestage.events.session;

/** Host-chosen settings of a session, as carried by every session event. */
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
        boolean transcriptionEnabled) {
}
