package io.livestage.events.session;

/** PUBLIC: listed and open to anonymous viewers; UNLISTED: by link only; PRIVATE: invited users only. */
public enum SessionVisibility {
    PUBLIC, UNLISTED, PRIVATE
}
