package io.livestage.analytics.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.livestage.analytics.repository.StatsRepository;
import io.livestage.analytics.repository.StatsRepository.Aggregate;
import io.livestage.analytics.repository.StatsRepository.Scope;
import io.livestage.platform.problem.ProblemException;

/** Figures over ended sessions in a time range: the caller's own, or (admins) anyone's and the platform's. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Aggregates", description = "Sessions, views, exact unique viewers, watch time and top sessions over "
        + "ended sessions started in [from, to)")
public class AggregateResource {
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    private static final Duration MAX_RANGE = Duration.ofDays(366);

    private final StatsRepository repository;
    private final SecurityIdentity identity;

    public AggregateResource(StatsRepository repository, SecurityIdentity identity) {
        this.repository = repository;
        this.identity = identity;
    }

    @GET
    @Path("me/analytics")
    @Operation(operationId = "getMyAnalytics", summary = "The caller's sessions (as host) over a time range",
            description = "from/to: ISO-8601 instants (default: the last 30 days; at most 366 days); spaceId narrows "
                    + "to one space.")
    public Uni<Aggregate> mine(@QueryParam("from") @Parameter(description = "Start (inclusive), ISO-8601") String from,
            @QueryParam("to") @Parameter(description = "End (exclusive), ISO-8601") String to,
            @QueryParam("spaceId") String spaceId) {
        return repository.aggregate(scope(from, to, identity.getPrincipal().getName(), spaceId));
    }

    @GET
    @Path("analytics/platform")
    @Operation(operationId = "getPlatformAnalytics", summary = "Platform-wide figures (realm role admin)",
            description = "Every host's ended sessions, optionally one host's (hostId) or one space's (spaceId); "
                    + "others get 403.")
    public Uni<Aggregate> platform(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("hostId") String hostId, @QueryParam("spaceId") String spaceId) {
        if (!identity.hasRole(SessionStatsResource.ADMIN)) {
            throw ProblemException.forbidden("Platform analytics need the admin role");
        }
        return repository.aggregate(scope(from, to, hostId, spaceId));
    }

    private static Scope scope(String from, String to, String hostId, String spaceId) {
        Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.invalid("from", "from must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.invalid("from", "the range may span at most 366 days");
        }
        return new Scope(start, end, hostId, blankToNull(spaceId));
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, field + " must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
