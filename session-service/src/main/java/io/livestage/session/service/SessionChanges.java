package io.livestage.session.service;

import java.time.Instant;

/** A partial update of a session: null fields stay as they are; a blank description clears it. */
public record SessionChanges(String title, String description, Instant scheduledAt, SettingsChange settings) {
}
