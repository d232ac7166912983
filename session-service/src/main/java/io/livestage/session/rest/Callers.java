package io.livestage.session.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.livestage.session.service.Caller;

/** Reads the caller from the verified token: {@code sub}, a display name, and the {@code xp} claim (default 0). */
final class Callers {
    private Callers() {
    }

    static Caller of(SecurityIdentity identity) {
        String userId = identity.getPrincipal().getName();
        String name = userId;
        int xp = 0;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object display = jwt.getClaim("name");
            if (display == null) {
                display = jwt.getClaim("preferred_username");
            }
            if (display != null) {
                name = text(display);
            }
            xp = xp(jwt.getClaim("xp"));
        }
        return new Caller(userId, name, xp);
    }

    private static String text(Object claim) {
        return claim instanceof JsonString s ? s.getString() : String.valueOf(claim);
    }

    private static int xp(Object claim) {
        try {
            long value = switch (claim) {
                case null -> 0;
                case JsonNumber n -> n.longValue();
                case Number n -> n.longValue();
                case JsonString s -> Long.parseLong(s.getString().strip());
                default -> Long.parseLong(claim.toString().strip());
            };
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
