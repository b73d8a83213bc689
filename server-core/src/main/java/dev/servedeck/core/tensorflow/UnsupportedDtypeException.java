package dev.servedeck.core.tensorflow;

/**
 * A well-formed tensor whose dtype this server's TensorFlow Java runtime has no tensor class for (int8,
 * int16, uint32, uint64 in TF Java 1.1.0). Answered as UNIMPLEMENTED, unlike a malformed tensor.
 */
public final class UnsupportedDtypeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnsupportedDtypeException(String message) {
        super(message);
    }
}
