package io.livestage.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.jboss.logging.Logger;

import io.livestage.gateway.config.Origin;
import io.livestage.gateway.config.ServiceOrigins;

/**
 * {@code GET /openapi}: one OpenAPI document for the whole platform, merged from each service's {@code /q/openapi}
 * (paths, tags, component schemas; a schema name two services define differently is prefixed with the service), plus
 * what the gateway serves itself ({@code /openapi}, the event catalogue: {@code openapi/gateway-paths.json}).
 * Rebuilt at most every 30 s; a service that does not answer is listed under {@code x-livestage-missing}. A service
 * with several instances is asked at the first that answers (in the configured order).
 */
@ApplicationScoped
public class OpenApiAggregator {
    private static final Logger LOG = Logger.getLogger(OpenApiAggregator.class);
    private static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final String OWN_PATHS = "openapi/gateway-paths.json";
    private final ServiceOrigins origins;
    private volatile JsonObject merged;
    private volatile Instant mergedAt = Instant.EPOCH;
    private HttpClient client;

    public OpenApiAggregator(ServiceOrigins origins) {
        this.origins = origins;
    }

    void install(@Observes Router router, Vertx vertx) {
        client = vertx.createHttpClient();
        router.get("/openapi").order(900).handler(rc -> document().onComplete(result -> {
            if (result.succeeded()) {
                rc.response().putHeader("Content-Type", "application/json").end(result.result().encodePrettily());
            } else {
                rc.fail(result.cause());
            }
        }));
    }

    Future<JsonObject> document() {
        JsonObject current = merged;
        if (current != null && mergedAt.plus(MAX_AGE).isAfter(Instant.now())) {
            return Future.succeededFuture(current);
        }
        List<String> names = new ArrayList<>(origins.all().keySet());
        List<Future<JsonObject>> fetches = new ArrayList<>();
        for (String name : names) {
            fetches.add(fetch(origins.of(name), 0).otherwise(failure -> {
                LOG.debugf("no OpenAPI from %s: %s", name, failure.toString());
                return null;
            }));
        }
        return Future.join(fetches).map(all -> {
            JsonObject doc = merge(names, fetches.stream().map(Future::result).toList());
            // a document missing a service (down, or slow to build its first OpenAPI) is served but not kept
            if (!doc.containsKey("x-livestage-missing")) {
                merged = doc;
                mergedAt = Instant.now();
            }
            return doc;
        });
    }

    /** The document of the first of the service's instances (from {@code first} on) that answers with one. */
    private Future<JsonObject> fetch(List<Origin> instances, int first) {
        Origin origin = instances.get(first);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(origin.host())
                .setPort(origin.port()).setURI("/q/openapi?format=json").setTimeout(10_000);
        Future<JsonObject> document = client.request(options).compose(req -> req.send().compose(res -> res.statusCode() == 200
                ? res.body().map(body -> new JsonObject(body.toString()))
                : Future.failedFuture(origin.url() + ": status " + res.statusCode())));
        return first + 1 == instances.size() ? document : document.recover(failure -> {
            LOG.debugf("no OpenAPI from %s, trying the next instance: %s", origin.url(), failure.toString());
            return fetch(instances, first + 1);
        });
    }

    /** Merges the services' documents (null = the service did not answer). */
    static JsonObject merge(List<String> names, List<JsonObject> documents) {
        JsonObject paths = new JsonObject();
        JsonObject schemas = new JsonObject();
        JsonObject securitySchemes = new JsonObject();
        JsonArray tags = new JsonArray();
        JsonArray missing = new JsonArray();
        for (int i = 0; i < names.size(); i++) {
            JsonObject doc = documents.get(i);
            if (doc == null) {
                missing.add(names.get(i));
                continue;
            }
            String service = names.get(i);
            JsonObject own = doc.getJsonObject("components", new JsonObject()).getJsonObject("schemas", new JsonObject());
            // a schema another service defines differently gets the service's prefix; so does one that refers to a
            // renamed schema (until nothing changes), and the service's paths and schemas refer to the new names
            Map<String, String> renamed = new HashMap<>();
            boolean more = true;
            while (more) {
                more = false;
                for (String schema : own.fieldNames()) {
                    String ref = "#/components/schemas/" + schema;
                    Object existing = schemas.getValue(schema);
                    if (!renamed.containsKey(ref) && existing != null
                            && !existing.equals(renamed(own.getValue(schema), renamed))) {
                        renamed.put(ref, "#/components/schemas/" + service.replace("-service", "") + "." + schema);
                        more = true;
                    }
                }
            }
            for (String schema : own.fieldNames()) {
                String name = renamed.getOrDefault("#/components/schemas/" + schema, "#/components/schemas/" + schema)
                        .substring("#/components/schemas/".length());
                schemas.put(name, renamed(own.getValue(schema), renamed));
            }
            JsonObject ownPaths = doc.getJsonObject("paths", new JsonObject());
            for (String path : ownPaths.fieldNames()) {
                paths.put(path, renamed(ownPaths.getValue(path), renamed));
            }
            securitySchemes.mergeIn(doc.getJsonObject("components", new JsonObject())
                    .getJsonObject("securitySchemes", new JsonObject()));
            for (Object tag : doc.getJsonArray("tags", new JsonArray())) {
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
        }
        JsonObject gateway = ownPaths();
        paths.mergeIn(gateway.getJsonObject("paths"));
        for (Object tag : gateway.getJsonArray("tags")) {
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        JsonObject doc = new JsonObject().put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", "livestage").put("version", "0.1.0")
                        .put("description", "Every REST endpoint of the platform, as the gateway serves them. Errors are RFC 9457 problem+json. The room channel is a WebSocket at /ws/sessions/{id} (chat-service PROTOCOL.md); events are described at /asyncapi.yaml."))
                .put("servers", new JsonArray().add(new JsonObject().put("url", "/")))
                .put("tags", tags).put("paths", paths)
                .put("components", new JsonObject().put("schemas", schemas).put("securitySchemes", securitySchemes));
        if (!missing.isEmpty()) {
            doc.put("x-livestage-missing", missing);
        }
        return doc;
    }

    /** {@code value} with every reference in {@code renamed} (old to new {@code $ref}) replaced. */
    private static Object renamed(Object value, Map<String, String> renamed) {
        if (renamed.isEmpty() || !(value instanceof JsonObject object)) {
            return value;
        }
        String text = object.encode();
        for (Map.Entry<String, String> r : renamed.entrySet()) {
            text = text.replace("\"" + r.getKey() + "\"", "\"" + r.getValue() + "\"");
        }
        return new JsonObject(text);
    }

    /** The gateway's own paths and tags (read each time: a fresh copy, since the merged document is handed out). */
    private static JsonObject ownPaths() {
        try (InputStream in = OpenApiAggregator.class.getClassLoader().getResourceAsStream(OWN_PATHS)) {
            if (in == null) {
                throw new IllegalStateException(OWN_PATHS + " is missing from the gateway");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(OWN_PATHS, e);
        }
    }
}
