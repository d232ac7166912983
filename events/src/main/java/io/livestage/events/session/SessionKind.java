package io.livestage.events.session;

/** AUDIO rooms publish microphones only; VIDEO sessions also cameras and screen share. */
public enum SessionKind {
    AUDIO, VIDEO
}
