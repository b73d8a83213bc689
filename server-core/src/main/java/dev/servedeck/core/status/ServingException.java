package dev.servedeck.core.status;

/**
 * A failure with a TF Serving status code. Its message is written for the client; front ends send
 * only {@link #status()} over the wire, never the stack trace.
 */
public class ServingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Code code;

    public ServingException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public ServingException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public Status status() {
        return new Status(code, getMessage());
    }

    public static ServingException invalidArgument(String message) {
        return new ServingException(Code.INVALID_ARGUMENT, message);
    }

    public static ServingException notFound(String message) {
        return new ServingException(Code.NOT_FOUND, message);
    }

    public static ServingException unavailable(String message) {
        return new ServingException(Code.UNAVAILABLE, message);
    }

    public static ServingException failedPrecondition(String message) {
        return new ServingException(Code.FAILED_PRECONDITION, message);
    }

    public static ServingException internal(String message, Throwable cause) {
        return new ServingException(Code.INTERNAL, message, cause);
    }

    /**
     * INTERNAL for a failure no check foresaw: a bug, or an {@link Error} (OutOfMemoryError, StackOverflowError,
     * an AssertionError inside a model). The message says what failed and how: an exception's own message, or
     * just the kind of an Error (its message may describe the server's insides). The stack trace stays with the
     * cause, for the server log only.
     */
    public static ServingException unexpected(String what, Throwable cause) {
        String message = cause.getMessage();
        String how = cause instanceof Error || message == null || message.isBlank()
                ? cause.getClass().getSimpleName() : message;
        return internal(what + " failed: " + how, cause);
    }
}
