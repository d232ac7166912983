package io.livestage.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** Builds the requests of the session-api mix: which path, which host's bearer token, which body. */
public final class SessionApiRequests {
    private final List<String> tokens;
    private final SessionPool pool;
    private final AtomicLong sequence = new AtomicLong();

    public SessionApiRequests(List<String> tokens, SessionPool pool) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("At least one host token");
        }
        this.tokens = List.copyOf(tokens);
        this.pool = pool;
    }

    /** Requests of the operations of {@code mix}, in its proportions; each counts under its operation's label. */
    public LoadRequest.Source source(OperationMix mix) {
        return random -> next(mix.pick(random), random);
    }

    public LoadRequest next(Operation op, RandomGenerator random) {
        String bearer = tokens.get(random.nextInt(tokens.size()));
        return switch (op) {
            case CREATE -> new LoadRequest(op.label(), HttpMethod.POST, "/api/sessions", bearer, createBody());
            case GET_ID -> new LoadRequest(op.label(), HttpMethod.GET, "/api/sessions/" + pool.pick(random).id(), bearer,
                    null);
            case GET_SLUG -> new LoadRequest(op.label(), HttpMethod.GET,
                    "/api/sessions/by-slug/" + pool.pick(random).slug(), bearer, null);
            case LIST -> new LoadRequest(op.label(), HttpMethod.GET, "/api/sessions?limit=20", bearer, null);
        };
    }

    /** A new session: alternately AUDIO and VIDEO, public, no schedule (so it can start at once). */
    public Buffer createBody() {
        long n = sequence.incrementAndGet();
        return Buffer.buffer("{\"title\":\"Bench session " + n + "\",\"description\":\"Created by the session-api benchmark\","
                + "\"kind\":\"" + (n % 2 == 0 ? "AUDIO" : "VIDEO") + "\",\"visibility\":\"PUBLIC\","
                + "\"spaceId\":\"bench-space-" + (n % 10) + "\"}");
    }
}
