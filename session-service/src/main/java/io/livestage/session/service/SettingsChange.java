package io.livestage.session.service;

/**
 * Settings to set; a null field keeps its current value (its default on create). Components mirror the API's
 * settings body, name for name and in order, so a create's idempotency fingerprint is what it always was.
 */
public record SettingsChange(Integer maxParticipants, Boolean allowGuests, Boolean requireApproval, Integer maxGuests,
        Boolean enableChat, Boolean enableReactions, Boolean guestAudioDefault, Boolean guestVideoDefault,
        Boolean recordingEnabled, Boolean transcriptionEnabled) {
}
