package dev.servedeck.core.grpc;

import dev.servedeck.core.ServingApi;
import dev.servedeck.core.status.ServingException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one unary call on the call executor and answers it: the value, or the failure mapped to a gRPC
 * status.
 *
 * <p>The server's transport runs the services' methods directly on its event loop ({@code directExecutor}),
 * which only parses the request; the method hands the work to the bounded call executor here, in one hop.
 * grpc-java's own executor would instead run each call as four or five small serialized tasks (start,
 * message, half-close, ready, completion), every one a thread hand-over: on two cores that cost more than
 * a small model's inference (measured in the README's Benchmarks).
 */
public final class UnaryCalls {

    private static final Logger LOG = LoggerFactory.getLogger(UnaryCalls.class);

    private final Executor executor;

    public UnaryCalls(Executor executor) {
        this.executor = executor;
    }

    public <T> void answer(String method, StreamObserver<T> observer, Supplier<T> call) {
        dispatch(method, observer, () -> run(method, observer, call));
    }

    private <T> void run(String method, StreamObserver<T> observer, Supplier<T> call) {
        // A call whose client gave up (deadline passed, cancelled) while it waited for a thread is not run:
        // gRPC has already answered it, and the model's time is better spent on the living ones.
        if (Context.current().isCancelled()) {
            return;
        }
        T response;
        try {
            response = call.get();
        } catch (RuntimeException | Error e) {
            fail(method, observer, e);
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /**
     * Like {@link #answer}, for a call that completes later (a Predict waiting for its batch): the call's
     * thread is released at once and the answer is sent from whichever thread completes the future.
     *
     * @param leftQueue runs once, as soon as a thread picks the call up or the executor refuses it
     */
    <T> void answerAsync(String method, StreamObserver<T> observer, Runnable leftQueue,
            Supplier<CompletableFuture<T>> call) {
        boolean queued = dispatch(method, observer, () -> {
            leftQueue.run();
            runAsync(method, observer, call);
        });
        if (!queued) {
            leftQueue.run();
        }
    }

    private <T> void runAsync(String method, StreamObserver<T> observer, Supplier<CompletableFuture<T>> call) {
        if (Context.current().isCancelled()) {
            return;
        }
        CompletableFuture<T> pending;
        try {
            pending = call.get();
        } catch (RuntimeException | Error e) {
            fail(method, observer, e);
            return;
        }
        pending.whenComplete((response, error) -> {
            if (error != null) {
                fail(method, observer, ServingApi.unwrap(error));
            } else {
                observer.onNext(response);
                observer.onCompleted();
            }
        });
    }

    /**
     * Runs {@code work} on the call executor, in the call's gRPC context (its deadline and cancellation).
     *
     * @return false when the executor refused it (the call has been answered UNAVAILABLE)
     */
    private boolean dispatch(String method, StreamObserver<?> observer, Runnable work) {
        try {
            executor.execute(Context.current().wrap(work));
            return true;
        } catch (RejectedExecutionException e) {
            // Only while the server shuts down: the executor stops after the transport.
            LOG.debug("{} refused: the call executor has stopped", method);
            observer.onError(Status.UNAVAILABLE.withDescription("Server is shutting down").asRuntimeException());
            return false;
        }
    }

    /** What is left of the call's deadline, as the core's timeout: ZERO for none, negative once passed. */
    static Duration timeLeft() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return Duration.ZERO;
        }
        long nanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
        return nanos > 0 ? Duration.ofNanos(nanos) : Duration.ofNanos(-1);
    }

    private static void fail(String method, StreamObserver<?> observer, Throwable failure) {
        if (failure instanceof ServingException e) {
            LOG.debug("{} failed: {}", method, e.getMessage());
            observer.onError(GrpcStatuses.of(e));
        } else if (failure instanceof StatusRuntimeException e) {
            observer.onError(e);
        } else {
            LOG.error("{} could not be answered", method, failure);
            observer.onError(GrpcStatuses.internal());
        }
    }
}
