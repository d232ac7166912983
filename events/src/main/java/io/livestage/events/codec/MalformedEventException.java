package io.livestage.events.codec;

/** An event of a known type whose data or headers cannot be read: a real failure, for the dead-letter topic. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
