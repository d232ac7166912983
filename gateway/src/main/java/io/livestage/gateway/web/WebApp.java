package io.livestage.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import io.livestage.gateway.config.GatewayConfig;

/**
 * The web app (module {@code web}, bundled into the jar under {@code META-INF/livestage-web/}) at {@code /}: files as
 * they are, hashed {@code /assets/*} cached for a year ({@code immutable}), everything else {@code no-cache} with an
 * ETag, and any other extension-less path answered with {@code index.html} so that the app's own routes
 * ({@code /sessions/{id}/analytics}) load on a refresh or a shared link. The platform's paths are never shadowed:
 * {@link #PLATFORM_PREFIXES} go on to their own routes (and to a 404 problem when none serves them), as does a
 * missing file with an extension ({@code /assets/gone.js} is a 404, not HTML). {@code GET /web-config.json} tells the
 * app which identity provider to sign in with.
 */
@ApplicationScoped
public class WebApp {
    private static final Logger LOG = Logger.getLogger(WebApp.class);
    /** Served by the platform, never by the web app. */
    static final List<String> PLATFORM_PREFIXES = List.of("/api", "/ws", "/webhooks", "/podcast", "/hls", "/q", "/openapi",
            "/asyncapi.yaml", "/schemas", "/web-config.json");
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String NO_CACHE = "no-cache";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=UTF-8"), Map.entry("js", "text/javascript;charset=UTF-8"),
            Map.entry("mjs", "text/javascript;charset=UTF-8"), Map.entry("css", "text/css;charset=UTF-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("txt", "text/plain;charset=UTF-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"),
            Map.entry("wasm", "application/wasm"));

    private final GatewayConfig config;
    /** Files found so far (a bounded set: only what the bundle holds); misses are not remembered. */
    private final Map<String, WebFile> files = new ConcurrentHashMap<>();
    private String contentSecurityPolicy;

    public WebApp(GatewayConfig config) {
        this.config = config;
    }

    /** One bundled file, read once. */
    record WebFile(Buffer body, String contentType, String etag) {
    }

    void install(@Observes Router router) {
        GatewayConfig.Web web = config.web();
        contentSecurityPolicy = web.contentSecurityPolicy().orElseGet(() -> defaultContentSecurityPolicy(web.oidcAuthority(), web.mediaUrl()));
        JsonObject webConfig = new JsonObject().put("oidcAuthority", web.oidcAuthority().orElse(null))
                .put("oidcClientId", web.oidcClientId());
        router.get("/web-config.json").order(900).handler(rc -> rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE)
                .end(webConfig.encode()));
        // after the platform's routes (900) and the proxy (1000): only what they did not take reaches it
        router.route().order(2000).handler(this::serve);
        if (file("index.html").isEmpty()) {
            LOG.warnf("The web app is not bundled (no %s/index.html on the class path): / redirects to the Swagger UI. "
                    + "Build it with ./mvnw -B package -DskipTests -pl gateway -am (needs Node.js 20+ with npm).", root());
        }
    }

    private void serve(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        String path = rc.normalizedPath();
        if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || platformPath(path)) {
            rc.next();
            return;
        }
        Optional<WebFile> index = file("index.html");
        if (path.equals("/") || path.equals("/index.html")) {
            if (index.isEmpty()) {
                rc.redirect("/q/swagger-ui");
                return;
            }
            send(rc, index.get(), NO_CACHE, true);
            return;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!name.contains(".")) {
            // an app route: the app reads the path itself
            if (index.isEmpty()) {
                rc.next();
                return;
            }
            send(rc, index.get(), NO_CACHE, true);
            return;
        }
        Optional<WebFile> file = file(path.substring(1));
        if (file.isEmpty()) {
            rc.next();
            return;
        }
        send(rc, file.get(), path.startsWith("/assets/") ? IMMUTABLE : NO_CACHE, name.endsWith(".html"));
    }

    static boolean platformPath(String path) {
        for (String prefix : PLATFORM_PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private void send(RoutingContext rc, WebFile file, String cacheControl, boolean page) {
        HttpServerResponse response = rc.response();
        response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType()).putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .putHeader(HttpHeaders.ETAG, file.etag()).putHeader("X-Content-Type-Options", "nosniff");
        if (page) {
            response.putHeader("Content-Security-Policy", contentSecurityPolicy)
                    .putHeader("Referrer-Policy", "strict-origin-when-cross-origin");
        }
        String ifNoneMatch = rc.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.equals(file.etag()) || ifNoneMatch.equals("*"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(file.body().length()));
        if (rc.request().method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(file.body());
        }
    }

    /** {@code relative} (no leading slash) from the bundle, if it holds such a file. */
    Optional<WebFile> file(String relative) {
        if (relative.isEmpty() || relative.contains("..") || relative.contains("\\") || relative.endsWith("/")) {
            return Optional.empty();
        }
        WebFile known = files.get(relative);
        if (known != null) {
            return Optional.of(known);
        }
        String resource = root() + "/" + relative;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            WebFile file = new WebFile(Buffer.buffer(bytes), contentType(relative), etag(bytes));
            files.put(relative, file);
            return Optional.of(file);
        } catch (IOException e) {
            LOG.warnf("Could not read %s: %s", resource, e.toString());
            return Optional.empty();
        }
    }

    static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private String root() {
        String root = config.web().root();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Scripts and styles from the gateway's own origin only (index.html has no inline script); API calls to the same
     * origin, for sign-in to the identity provider, and to the LiveKit server (its WebSocket and, for LiveKit's
     * connection check after a failure, the same host over HTTP); no framing.
     */
    static String defaultContentSecurityPolicy(Optional<String> oidcAuthority, Optional<String> mediaUrl) {
        String provider = oidcAuthority.map(WebApp::origin).map(o -> " " + o).orElse("");
        String media = mediaUrl.filter(u -> !u.isBlank()).map(WebApp::mediaOrigins).orElse("");
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                + "media-src 'self' blob:; connect-src 'self'" + provider + media + "; frame-src 'self'" + provider
                + "; form-action 'self'" + provider + "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
    }

    /** {@code wss://h:p} -> {@code " wss://h:p https://h:p"}; {@code ws://} pairs with {@code http://}. */
    static String mediaOrigins(String url) {
        String origin = origin(url);
        String host = origin.substring(origin.indexOf("://"));
        return switch (URI.create(url).getScheme()) {
            case "wss", "https" -> " wss" + host + " https" + host;
            case "ws", "http" -> " ws" + host + " http" + host;
            default -> throw new IllegalArgumentException("livestage.gateway.web.media-url must be a ws(s):// or http(s):// URL: " + url);
        };
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
