package io.livestage.bench;

import java.util.random.RandomGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One HTTP request of a load loop: the operation it counts under ({@code op}, a label like {@code create}), method,
 * path, bearer token (null for none), JSON body (null for none), and an opaque {@code context} the source wants back
 * when the request succeeds (may be null).
 */
public record LoadRequest(String op, HttpMethod method, String uri, String bearer, Buffer body, Object context) {

    public LoadRequest(String op, HttpMethod method, String uri, String bearer, Buffer body) {
        this(op, method, uri, bearer, body, null);
    }

    /** Where a {@link ClosedLoop} gets its next request; called on the loop's event-loop thread. */
    @FunctionalInterface
    public interface Source {
        LoadRequest next(RandomGenerator random);
    }
}
