package io.livestage.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, with two extensions: {@code field} (the first input that failed, as a JSON path such as
 * {@code settings.maxGuests}) and {@code errors} (every failed input).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://livestage.io/problems/";

    public record FieldError(String field, String message) {
    }
}
