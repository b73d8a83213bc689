package dev.servedeck.core.tensorflow;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import org.tensorflow.exceptions.TFFailedPreconditionException;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TFPermissionDeniedException;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.exceptions.TFUnauthenticatedException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;

/** Gives TensorFlow runtime failures the status code TensorFlow itself reported, as TF Serving passes it on. */
final class TensorflowErrors {

    private TensorflowErrors() {
    }

    /**
     * @param e a {@link TensorFlowException}, {@link TFInvalidArgumentException} or
     *     {@link TFUnimplementedException} (the latter two extend the JDK's argument/unsupported exceptions)
     */
    static ServingException toServingException(RuntimeException e) {
        Code code;
        if (e instanceof TFInvalidArgumentException) {
            code = Code.INVALID_ARGUMENT;
        } else if (e instanceof TFFailedPreconditionException) {
            code = Code.FAILED_PRECONDITION;
        } else if (e instanceof TFOutOfRangeException) {
            code = Code.OUT_OF_RANGE;
        } else if (e instanceof TFResourceExhaustedException) {
            code = Code.RESOURCE_EXHAUSTED;
        } else if (e instanceof TFUnimplementedException) {
            code = Code.UNIMPLEMENTED;
        } else if (e instanceof TFPermissionDeniedException) {
            code = Code.PERMISSION_DENIED;
        } else if (e instanceof TFUnauthenticatedException) {
            code = Code.UNAUTHENTICATED;
        } else {
            // TF Java has no subclass for the other codes (NOT_FOUND, ABORTED, INTERNAL ...).
            code = Code.INTERNAL;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return new ServingException(code, message, e);
    }
}
