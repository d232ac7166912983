package io.livestage.bench;

import java.time.Duration;
import java.util.random.RandomGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP request of a load loop: the operation it counts under ({@code op}, a label like {@code create}), method,
 * path, bearer token (null for none), JSON body (null for none), and an opaque {@code context} the source wants back
 * when the request succeeds (may be null).
 */
public record LoadRequest(String op, HttpMethod method, String uri, String bearer, Buffer body, Object context) {

    public LoadRequest(String op, HttpMethod method, String uri, String bearer, Buffer body) {
        this(op, method, uri, bearer, body, null);
    }

    /** The request to 127.0.0.1:{@code port}: JSON accepted, the bearer and the body's content type when there are. */
    public RequestOptions options(int port, Duration timeout) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
                .setIdleTimeout(timeout.toMillis()).putHeader(HttpHeaders.ACCEPT, "application/json");
        if (bearer != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        }
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        return options;
    }

    /** Where a {@link ClosedLoop} gets its next request; called on the loop's event-loop thread. */
    @FunctionalInterface
    public interface Source {
        LoadRequest next(RandomGenerator random);
    }
}
