package io.livestage.platform.problem;

/** Stable problem {@code type} values; clients branch on these, never on {@code title} or {@code detail}. */
public enum ProblemType {
    VALIDATION_FAILED("validation-failed", "Request validation failed", 400),
    MALFORMED_REQUEST("malformed-request", "Malformed request body", 400),
    UNAUTHORIZED("unauthorized", "Authentication required", 401),
    FORBIDDEN("forbidden", "Not allowed", 403),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    ILLEGAL_STATE("illegal-state-transition", "Not possible in the current state", 409),
    CONCURRENT_MODIFICATION("concurrent-modification", "Changed by another request; retry", 409),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    RATE_LIMITED("rate-limited", "Too many requests", 429),
    DUPLICATE("duplicate", "Already received", 409),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key already used for another request", 422),
    UNAVAILABLE("dependency-unavailable", "A service this request needs is unavailable; retry shortly", 503),
    INTERNAL("internal-error", "Internal error", 500),
    HTTP_ERROR("http-error", "Request failed", 400);

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return Problem.TYPE_BASE + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != ILLEGAL_STATE && type != MALFORMED_REQUEST && type != DUPLICATE
                    && type != IDEMPOTENCY_KEY_REUSED) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : HTTP_ERROR;
    }
}
