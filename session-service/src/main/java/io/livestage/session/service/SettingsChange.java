package io.livestage.session.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Settings to set; a null field keeps its current value (its default on create). Components mirror the API's
 * settings body, name for name and in order, so a create's idempotency fingerprint is what it always was; fields
 * added later ({@code speakerTracks}) are left out of it while absent.
 */
public record SettingsChange(Integer maxParticipants, Boolean allowGuests, Boolean requireApproval, Integer maxGuests,
        Boolean enableChat, Boolean enableReactions, Boolean guestAudioDefault, Boolean guestVideoDefault,
        Boolean recordingEnabled, Boolean transcriptionEnabled,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean speakerTracks) {
}
