package io.livestage.session.service;

import java.time.Instant;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionVisibility;

/**
 * A session to create (visibility null: PUBLIC; settings null: the defaults of its kind). Its JSON is the create's
 * idempotency fingerprint, so the components mirror the API's create body, name for name and in order.
 */
public record NewSession(String title, String description, SessionKind kind, SessionVisibility visibility,
        Instant scheduledAt, String spaceId, SettingsChange settings) {
}
