package io.livestage.token.service;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

/**
 * session-service, the authority on who may join a session and in which role (see docs/adr/0002). Its problems
 * (403 removed or not invited, 404, 409 ended) are passed on to our caller unchanged. Every call has a timeout and a
 * circuit breaker (SmallRye Fault Tolerance), so an unreachable session-service fails token requests fast; reads are
 * retried twice when the connection failed.
 */
@RegisterRestClient(configKey = "session-service")
@Path("/api/sessions")
public interface SessionServiceClient {

    /** Not retried: a join that reached session-service may have been applied; the caller retries the token request. */
    @POST
    @Path("{ref}/join")
    @Timeout(5_000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5_000, failOn = ProcessingException.class)
    Uni<Joined> join(@PathParam("ref") String ref, @HeaderParam("Authorization") String authorization, JoinBody body);

    @GET
    @Path("{id}")
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5_000, failOn = ProcessingException.class)
    Uni<SessionView> byId(@PathParam("id") String id);

    @GET
    @Path("by-slug/{slug}")
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5_000, failOn = ProcessingException.class)
    Uni<SessionView> bySlug(@PathParam("slug") String slug);

    record JoinBody(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SessionView(String id, String slug, String title, SessionKind kind, SessionVisibility visibility,
            SessionStatus status, Instant scheduledAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ParticipantView(String identity, String userId, String name, ParticipantRole role) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Joined(SessionView session, ParticipantView participant) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProblemBody(String detail) {
    }

    @ClientExceptionMapper
    static RuntimeException toProblem(Response response) {
        int status = response.getStatus();
        if (status >= 500) {
            return new ProblemException(ProblemType.UNAVAILABLE,
                    "session-service answered " + status + "; retry shortly");
        }
        String detail = "session-service refused the request (" + status + ")";
        try {
            ProblemBody body = response.readEntity(ProblemBody.class);
            if (body != null && body.detail() != null) {
                detail = body.detail();
            }
        } catch (RuntimeException unreadable) {
            // keep the generic detail: the status is what matters
        }
        return ProblemException.fromStatus(status, detail);
    }
}
