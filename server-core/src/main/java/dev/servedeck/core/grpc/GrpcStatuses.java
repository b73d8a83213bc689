package dev.servedeck.core.grpc;

import dev.servedeck.core.status.ServingException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * ServingException codes are TF Serving's canonical codes, which are gRPC's codes with the same numbers:
 * the mapping is 1:1, message included. Anything else is a bug of ours: the client gets INTERNAL with a
 * generic message, the log gets the stack trace.
 */
final class GrpcStatuses {

    static final String INTERNAL_MESSAGE = "Internal server error; see the server log";

    private GrpcStatuses() {
    }

    static StatusRuntimeException of(ServingException e) {
        return Status.fromCodeValue(e.code().number()).withDescription(e.getMessage()).asRuntimeException();
    }

    static StatusRuntimeException internal() {
        return Status.INTERNAL.withDescription(INTERNAL_MESSAGE).asRuntimeException();
    }

    static StatusRuntimeException invalidArgument(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
