package io.livestage.session;

/** The published media whose mute state a participant record keeps: the microphone (audio) and the camera (video). */
public enum MediaSource {
    MICROPHONE,
    CAMERA;

    /**
     * The source of a LiveKit track: its {@code source}, or its {@code type} when the client named none; null for
     * what the record does not track (screen share and its audio).
     */
    public static MediaSource of(String type, String source) {
        if ("MICROPHONE".equals(source)) {
            return MICROPHONE;
        }
        if ("CAMERA".equals(source)) {
            return CAMERA;
        }
        if (source == null || source.isEmpty() || "UNKNOWN".equals(source)) {
            if ("AUDIO".equals(type)) {
                return MICROPHONE;
            }
            if ("VIDEO".equals(type)) {
                return CAMERA;
            }
        }
        return null;
    }

    /** Sets this source's mute flag on {@code participant}; true when that changed it. */
    public boolean setMuted(Participant participant, boolean muted) {
        boolean before = this == MICROPHONE ? participant.audioMuted : participant.videoMuted;
        if (this == MICROPHONE) {
            participant.audioMuted = muted;
        } else {
            participant.videoMuted = muted;
        }
        return before != muted;
    }
}
