package io.livestage.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.livestage.platform.problem.ProblemResponses;
import io.livestage.platform.problem.ProblemType;

/**
 * The event catalogue at the edge: {@code /asyncapi.yaml} and {@code /schemas/{event}.json}, served from the
 * livestage-events jar (the contract as it ships). Anything else the gateway does not know is a 404 problem.
 */
@ApplicationScoped
public class CatalogueRoutes {
    private static final Pattern SCHEMA = Pattern.compile("[a-z0-9.-]+\\.json");

    void install(@Observes Router router) {
        router.get("/asyncapi.yaml").order(900).handler(rc -> serve(rc, "asyncapi/livestage.asyncapi.yaml",
                "application/yaml"));
        router.get("/schemas/:file").order(900).handler(rc -> {
            String file = rc.pathParam("file");
            if (!SCHEMA.matcher(file).matches()) {
                ProblemResponses.refuse(rc, ProblemType.NOT_FOUND, "no schema " + file);
                return;
            }
            serve(rc, "schemas/" + file, "application/schema+json");
        });
    }

    private static void serve(RoutingContext rc, String resource, String contentType) {
        try (InputStream in = CatalogueRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                ProblemResponses.refuse(rc, ProblemType.NOT_FOUND, "no " + resource);
                return;
            }
            rc.response().putHeader("Content-Type", contentType).end(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            rc.fail(e);
        }
    }
}
