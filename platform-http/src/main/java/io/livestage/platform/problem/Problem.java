package io.livestage.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, with three extensions: {@code field} (the first input that failed, as a JSON path such as
 * {@code settings.maxGuests}), {@code errors} (every failed input) and {@code requestId} (the request's
 * {@code X-Request-Id}, to quote when reporting it). Absent members are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field,
        List<FieldError> errors, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://livestage.io/problems/";

    /** A problem of {@code type} with its catalogue title and status. */
    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, null, null, null);
    }

    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, instance, field, errors, id);
    }

    public record FieldError(String field, String message) {
    }
}
