package io.livestage.chat.service;

import jakarta.json.JsonString;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the token's {@code sub} and a display name, or an anonymous viewer. */
public record Caller(String userId, String name, boolean anonymous) {

    public static Caller anonymous(String connectionId) {
        return new Caller(null, "Viewer " + connectionId.substring(0, Math.min(6, connectionId.length())), true);
    }

    public static Caller of(SecurityIdentity identity) {
        String userId = identity.getPrincipal().getName();
        String name = userId;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object display = jwt.getClaim("name");
            if (display == null) {
                display = jwt.getClaim("preferred_username");
            }
            if (display != null) {
                name = display instanceof JsonString s ? s.getString() : String.valueOf(display);
            }
        }
        name = name.strip();
        if (name.isEmpty()) {
            name = userId;
        }
        return new Caller(userId, name.length() > 100 ? name.substring(0, 100) : name, false);
    }
}
