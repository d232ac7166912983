package io.livestage.session.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.session.Settings;
import io.livestage.session.service.SettingsChange;

/** Settings to set; an absent field keeps its current value (its default on create). */
@Schema(description = "Session settings. Omitted fields keep their current value (defaults on create).")
public record SettingsRequest(
        @Schema(description = "Most people in the room at once (default 500)", example = "500")
        @Min(1) @Max(Settings.MAX_PARTICIPANTS_LIMIT) Integer maxParticipants,
        @Schema(description = "Viewers may ask to come on stage (default true)") Boolean allowGuests,
        @Schema(description = "Stage requests wait for host approval (default true)") Boolean requireApproval,
        @Schema(description = "Most guests on stage at once, 0-20 (default 10)", example = "6")
        @Min(0) @Max(Settings.MAX_GUESTS_LIMIT) Integer maxGuests,
        @Schema(description = "Chat is open (default true)") Boolean enableChat,
        @Schema(description = "Reactions are open (default true)") Boolean enableReactions,
        @Schema(description = "Guests come on stage with the microphone on (default true)") Boolean guestAudioDefault,
        @Schema(description = "Guests come on stage with the camera on (default: true for VIDEO)") Boolean guestVideoDefault,
        @Schema(description = "Record the session into the podcast library (default false)") Boolean recordingEnabled,
        @Schema(description = "Transcribe speakers live (default false)") Boolean transcriptionEnabled,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "While a recording is live, also record each stage speaker's microphone to a file of "
                + "its own, listed with the recording (default false)") Boolean speakerTracks) {

    /** The service's command; null (no settings sent) stays null. */
    static SettingsChange toCommand(SettingsRequest s) {
        return s == null ? null : new SettingsChange(s.maxParticipants, s.allowGuests, s.requireApproval, s.maxGuests,
                s.enableChat, s.enableReactions, s.guestAudioDefault, s.guestVideoDefault, s.recordingEnabled,
                s.transcriptionEnabled, s.speakerTracks);
    }
}
