package dev.servedeck.core.tensorflow.bundle;

/**
 * The bytes are not a whole, intact table: truncated (a copy still running), corrupted, or not a table at
 * all. The message says what was wrong, in a few words.
 */
public final class MalformedTableException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedTableException(String message) {
        super(message);
    }
}
