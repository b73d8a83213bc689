package dev.servedeck.core.grpc;

import dev.servedeck.core.status.ServingException;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one unary call and answers it: the value, or the failure mapped to a gRPC status. */
final class UnaryCalls {

    private static final Logger LOG = LoggerFactory.getLogger(UnaryCalls.class);

    private UnaryCalls() {
    }

    static <T> void answer(String method, StreamObserver<T> observer, Supplier<T> call) {
        // A call whose client gave up (deadline passed, cancelled) while it waited for a thread is not run:
        // gRPC has already answered it, and the model's time is better spent on the living ones.
        if (Context.current().isCancelled()) {
            return;
        }
        T response;
        try {
            response = call.get();
        } catch (ServingException e) {
            LOG.debug("{} failed: {}", method, e.getMessage());
            observer.onError(GrpcStatuses.of(e));
            return;
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException | Error e) {
            LOG.error("{} could not be answered", method, e);
            observer.onError(GrpcStatuses.internal());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}
