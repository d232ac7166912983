package io.livestage.platform.http;

import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.MDC;

/**
 * The request id of the HTTP request being handled: the caller's (the gateway's) {@code X-Request-Id} when it is sane,
 * a new UUID otherwise. It is in the logging MDC as {@value #MDC_KEY} for every log line of the request, echoed in the
 * response, in every problem answered, and written with each event the request causes ({@code ce_requestid}).
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** Where {@link RequestIdHandler} keeps the id on the request's {@link RoutingContext}. */
    public static final String CONTEXT_KEY = "livestage.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

    private RequestIds() {
    }

    /** {@code presented} when it is 8–128 characters of {@code [A-Za-z0-9._:-]}, else a new UUID. */
    public static String of(String presented) {
        return presented != null && SANE.matcher(presented).matches() ? presented : UUID.randomUUID().toString();
    }

    /** The id of the request this thread (or Vert.x context) is handling, or null outside a request. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }

    /** The id {@link RequestIdHandler} gave this request, or null when it did not run. */
    public static String current(RoutingContext rc) {
        return rc.get(CONTEXT_KEY);
    }
}
