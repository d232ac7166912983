package io.livestage.gateway.proxy;

import java.util.UUID;
import java.util.regex.Pattern;

/** The request id: the caller's {@code X-Request-Id} when it is sane, a new UUID otherwise. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String KEY = "livestage.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

    private RequestIds() {
    }

    public static String of(String presented) {
        return presented != null && SANE.matcher(presented).matches() ? presented : UUID.randomUUID().toString();
    }
}
