package io.livestage.token.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.livestage.events.participant.ParticipantRole;

/** What the token endpoint answers: connect to {@code url} with {@code token}; {@code grants} as LiveKit reads them. */
public record IssuedToken(String token, String url, String room, String identity, String name, ParticipantRole role,
        @JsonRawValue String grants, Instant expiresAt) {
}
