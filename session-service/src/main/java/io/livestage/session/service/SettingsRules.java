package io.livestage.session.service;

import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Settings;

/** How a settings change applies to the current settings, and the limits the result must keep. */
final class SettingsRules {
    private SettingsRules() {
    }

    /** Sets every field {@code change} names (null: none) on {@code target}, then checks the limits; answers target. */
    static Settings apply(Settings target, SettingsChange change) {
        if (change != null) {
            if (change.maxParticipants() != null) target.maxParticipants = change.maxParticipants();
            if (change.allowGuests() != null) target.allowGuests = change.allowGuests();
            if (change.requireApproval() != null) target.requireApproval = change.requireApproval();
            if (change.maxGuests() != null) target.maxGuests = change.maxGuests();
            if (change.enableChat() != null) target.enableChat = change.enableChat();
            if (change.enableReactions() != null) target.enableReactions = change.enableReactions();
            if (change.guestAudioDefault() != null) target.guestAudioDefault = change.guestAudioDefault();
            if (change.guestVideoDefault() != null) target.guestVideoDefault = change.guestVideoDefault();
            if (change.recordingEnabled() != null) target.recordingEnabled = change.recordingEnabled();
            if (change.transcriptionEnabled() != null) target.transcriptionEnabled = change.transcriptionEnabled();
            if (change.speakerTracks() != null) target.speakerTracks = change.speakerTracks();
        }
        check(target);
        return target;
    }

    /** The API's bean validation refuses out-of-range values first; this holds for every other caller too. */
    static void check(Settings settings) {
        if (settings.maxParticipants < 1 || settings.maxParticipants > Settings.MAX_PARTICIPANTS_LIMIT) {
            throw ProblemException.invalid("settings.maxParticipants",
                    "must be between 1 and " + Settings.MAX_PARTICIPANTS_LIMIT);
        }
        if (settings.maxGuests < 0 || settings.maxGuests > Settings.MAX_GUESTS_LIMIT) {
            throw ProblemException.invalid("settings.maxGuests", "must be between 0 and " + Settings.MAX_GUESTS_LIMIT);
        }
        if (settings.maxGuests >= settings.maxParticipants) {
            throw ProblemException.invalid("settings.maxGuests", "maxGuests (" + settings.maxGuests
                    + ") must be below maxParticipants (" + settings.maxParticipants + ")");
        }
    }
}
