package io.livestage.session;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;

/** The host's settings, stored as columns of the session row. */
@Embeddable
public class Settings {
    public static final int DEFAULT_MAX_PARTICIPANTS = 500;
    public static final int DEFAULT_MAX_GUESTS = 10;
    public static final int MAX_GUESTS_LIMIT = 20;
    public static final int MAX_PARTICIPANTS_LIMIT = 100_000;

    @Column(name = "max_participants", nullable = false)
    public int maxParticipants;
    @Column(name = "allow_guests", nullable = false)
    public boolean allowGuests;
    @Column(name = "require_approval", nullable = false)
    public boolean requireApproval;
    @Column(name = "max_guests", nullable = false)
    public int maxGuests;
    @Column(name = "enable_chat", nullable = false)
    public boolean enableChat;
    @Column(name = "enable_reactions", nullable = false)
    public boolean enableReactions;
    @Column(name = "guest_audio_default", nullable = false)
    public boolean guestAudioDefault;
    @Column(name = "guest_video_default", nullable = false)
    public boolean guestVideoDefault;
    @Column(name = "recording_enabled", nullable = false)
    public boolean recordingEnabled;
    @Column(name = "transcription_enabled", nullable = false)
    public boolean transcriptionEnabled;
    @Column(name = "speaker_tracks", nullable = false)
    public boolean speakerTracks;

    /** What a host gets without choosing: an open stage with approval, video on only for VIDEO sessions. */
    public static Settings defaults(SessionKind kind) {
        Settings s = new Settings();
        s.maxParticipants = DEFAULT_MAX_PARTICIPANTS;
        s.allowGuests = true;
        s.requireApproval = true;
        s.maxGuests = DEFAULT_MAX_GUESTS;
        s.enableChat = true;
        s.enableReactions = true;
        s.guestAudioDefault = true;
        s.guestVideoDefault = kind == SessionKind.VIDEO;
        s.recordingEnabled = false;
        s.transcriptionEnabled = false;
        s.speakerTracks = false;
        return s;
    }

    public SessionSettings toEvent() {
        return new SessionSettings(maxParticipants, allowGuests, requireApproval, maxGuests, enableChat,
                enableReactions, guestAudioDefault, guestVideoDefault, recordingEnabled, transcriptionEnabled, speakerTracks);
    }

    public Settings copy() {
        Settings s = new Settings();
        s.maxParticipants = maxParticipants;
        s.allowGuests = allowGuests;
        s.requireApproval = requireApproval;
        s.maxGuests = maxGuests;
        s.enableChat = enableChat;
        s.enableReactions = enableReactions;
        s.guestAudioDefault = guestAudioDefault;
        s.guestVideoDefault = guestVideoDefault;
        s.recordingEnabled = recordingEnabled;
        s.transcriptionEnabled = transcriptionEnabled;
        s.speakerTracks = speakerTracks;
        return s;
    }

    public boolean sameAs(Settings other) {
        return toEvent().equals(other.toEvent());
    }
}
