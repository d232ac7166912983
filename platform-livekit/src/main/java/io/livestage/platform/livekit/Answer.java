package io.livestage.platform.livekit;

import java.util.function.Function;

/**
 * LiveKit's answer to one server API call: the value, or the Twirp error code and body of a refusal that is an
 * outcome rather than a failure ({@code not_found}, {@code failed_precondition}).
 */
public record Answer<T>(T value, String code, String message) {
    public static final String NOT_FOUND = "not_found";
    public static final String FAILED_PRECONDITION = "failed_precondition";

    /** {@code not_found}: e.g. a room that does not exist (yet), an egress LiveKit does not know. */
    public boolean notFound() {
        return NOT_FOUND.equals(code);
    }

    /** {@code failed_precondition}: e.g. stopping an egress that has already ended. */
    public boolean preconditionFailed() {
        return FAILED_PRECONDITION.equals(code);
    }

    public <R> Answer<R> map(Function<T, R> mapper) {
        return new Answer<>(value == null ? null : mapper.apply(value), code, message);
    }
}
