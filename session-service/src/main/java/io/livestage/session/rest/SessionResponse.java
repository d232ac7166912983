package io.livestage.session.rest;

import java.time.Instant;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.session.Session;

public record SessionResponse(String id, String slug, String title, String description, String hostId,
        String spaceId, SessionKind kind, SessionVisibility visibility, SessionStatus status, Instant scheduledAt,
        Instant startedAt, Instant endedAt, Instant createdAt, Instant updatedAt, SessionSettings settings) {

    public static SessionResponse of(Session s) {
        return new SessionResponse(s.id.toString(), s.slug, s.title, s.description, s.hostId, s.spaceId, s.kind,
                s.visibility, s.status, s.scheduledAt, s.startedAt, s.endedAt, s.createdAt, s.updatedAt,
                s.settings.toEvent());
    }
}
