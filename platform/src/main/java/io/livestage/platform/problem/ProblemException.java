package io.livestage.platform.problem;

/** Thrown by services to answer with a problem; carries the stable type, a human detail and the failing field. */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final String field;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, String field) {
        super(detail, null, false, false);
        this.type = type;
        this.field = field;
    }

    public ProblemType type() {
        return type;
    }

    public String field() {
        return field;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.ILLEGAL_STATE, detail);
    }

    /** Passes on a problem another service answered (status and detail), as our own. */
    public static ProblemException fromStatus(int status, String detail) {
        ProblemType type = status == 409 ? ProblemType.ILLEGAL_STATE : ProblemType.forStatus(status);
        return new ProblemException(type, detail);
    }

    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail, field);
    }
}
