package dev.servedeck.core.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses calls beyond a number in flight with RESOURCE_EXHAUSTED at once, instead of letting them queue
 * without end behind the bounded executor (the gRPC twin of REST's 429 on a full request queue).
 */
final class InFlightCallLimit implements ServerInterceptor {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    InFlightCallLimit(int limit) {
        this.limit = limit;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            call.close(Status.RESOURCE_EXHAUSTED.withDescription(
                    "Too many gRPC requests in flight (limit " + limit + "); retry later"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        ServerCall<Q, A> counted = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                release.run();
                super.close(status, trailers);
            }
        };
        try {
            return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
                @Override
                public void onCancel() {
                    release.run();
                    super.onCancel();
                }

                @Override
                public void onComplete() {
                    release.run();
                    super.onComplete();
                }
            };
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Calls admitted and not yet finished. */
    int inFlight() {
        return inFlight.get();
    }
}
