package io.livestage.devstack;

/** A start-up failure with a message for the user and a hint at what to do about it. */
public class DevStackException extends RuntimeException {

    private final String hint;

    public DevStackException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public DevStackException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
