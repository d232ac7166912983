package io.livestage.session.rest;

import java.io.InputStream;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.livestage.platform.problem.ProblemException;

/** Serves the event catalogue (AsyncAPI + JSON Schemas) shipped in livestage-events, the contract for consumers. */
@Path("/")
@PermitAll
@Tag(name = "Event catalogue", description = "AsyncAPI document and JSON Schemas of the Kafka events")
public class EventCatalogueResource {

    @GET
    @Path("asyncapi.yaml")
    @Produces("application/yaml")
    // documented by the gateway, which serves the catalogue itself: its route table never forwards these paths
    @Operation(hidden = true)
    public InputStream asyncApi() {
        return resource("asyncapi/livestage.asyncapi.yaml");
    }

    @GET
    @Path("schemas/{file}")
    @Produces("application/schema+json")
    @Operation(hidden = true)
    public InputStream schema(@PathParam("file") String file) {
        if (!file.matches("[a-z.-]+\\.json")) {
            throw ProblemException.notFound("Schema " + file);
        }
        return resource("schemas/" + file);
    }

    private static InputStream resource(String path) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw ProblemException.notFound(path);
        }
        return in;
    }
}
