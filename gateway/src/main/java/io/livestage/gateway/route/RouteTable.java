package io.livestage.gateway.route;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which service answers a path, and whether the edge lets a request without a token through. First match wins. The
 * services decide who may do what; the edge refuses early what can never succeed without a token, and every token
 * presented is verified here whatever the route.
 */
public final class RouteTable {

    /** Whether a request without a bearer token may pass the edge. */
    public enum Access {
        /** Anonymous requests pass (the service decides: public sessions, signed webhooks, tokens in the first frame). */
        ANONYMOUS_ALLOWED,
        /** Anonymous reads pass (GET, HEAD); anything else needs a token. */
        ANONYMOUS_READS,
        /** A token is required. */
        TOKEN_REQUIRED
    }

    /**
     * {@code ownAuthorization}: the request's {@code Authorization} is not a bearer token for the edge to check (LiveKit
     * signs its webhooks with a JWT of its own, verified with the body by token-service).
     */
    /** {@code name}: a slug, used in metrics and in per-route rate-limit quotas. */
    public record Route(String name, Pattern path, String service, Access access, boolean ownAuthorization) {
        public boolean matches(String requestPath) {
            return path.matcher(requestPath).matches();
        }
    }

    private static final String REF = "[^/]+";

    public static final List<Route> ROUTES = List.of(
            new Route("speaker-audio", Pattern.compile("/ws/sessions/" + REF + "/transcription"), "transcription-service", Access.ANONYMOUS_ALLOWED, false),
            new Route("room-channel", Pattern.compile("/ws/sessions/" + REF), "chat-service", Access.ANONYMOUS_ALLOWED, false),
            new Route("transcript", Pattern.compile("/api/sessions/" + REF + "/transcript"), "transcription-service", Access.ANONYMOUS_READS, false),
            new Route("chat", Pattern.compile("/api/sessions/" + REF + "/chat(/.*)?"), "chat-service", Access.ANONYMOUS_READS, false),
            new Route("recordings", Pattern.compile("/api/sessions/" + REF + "/recordings(/.*)?"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("stream", Pattern.compile("/api/sessions/" + REF + "/stream(/.*)?"), "recording-service", Access.ANONYMOUS_READS, false),
            new Route("restream-targets", Pattern.compile("/api/me/restream-targets(/.*)?"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("hls", Pattern.compile("/hls/[^/]+/[^/]+"), "recording-service", Access.ANONYMOUS_READS, false),
            new Route("notifications", Pattern.compile("/api/me/notifications(/.*)?"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("podcast-feeds", Pattern.compile("/podcast/feeds/.+"), "recording-service", Access.ANONYMOUS_READS, false),
            new Route("podcast-profile", Pattern.compile("/api/me/podcast"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("podcast", Pattern.compile("/api/podcast(/.*)?"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("chapter-markers", Pattern.compile("/api/sessions/" + REF + "/chapters(/.*)?"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("episodes", Pattern.compile("/api/episodes(/.*)?|/api/me/episodes"), "recording-service", Access.TOKEN_REQUIRED, false),
            new Route("podcast-public", Pattern.compile("/podcast/.*"), "recording-service", Access.ANONYMOUS_READS, false),
            new Route("session-analytics", Pattern.compile("/api/sessions/" + REF + "/analytics(/.*)?"), "analytics-service", Access.TOKEN_REQUIRED, false),
            new Route("my-analytics", Pattern.compile("/api/me/analytics"), "analytics-service", Access.TOKEN_REQUIRED, false),
            new Route("platform-analytics", Pattern.compile("/api/analytics(/.*)?"), "analytics-service", Access.TOKEN_REQUIRED, false),
            new Route("tokens", Pattern.compile("/api/tokens"), "token-service", Access.ANONYMOUS_ALLOWED, false),
            new Route("livekit-webhooks", Pattern.compile("/webhooks/livekit"), "token-service", Access.ANONYMOUS_ALLOWED, true),
            new Route("sessions", Pattern.compile("/api/sessions(/.*)?"), "session-service", Access.ANONYMOUS_READS, false));

    private RouteTable() {
    }

    public static Optional<Route> route(String path) {
        for (Route route : ROUTES) {
            if (route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** True when a request of {@code method} without a token may pass the edge on {@code route}. */
    public static boolean anonymousAllowed(Route route, String method) {
        return switch (route.access()) {
            case ANONYMOUS_ALLOWED -> true;
            case ANONYMOUS_READS -> "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
            case TOKEN_REQUIRED -> false;
        };
    }
}
