package dev.servedeck.core.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the calls that have started (their headers arrived) but whose first message has not: when there are
 * {@code max} of them, the oldest is ended with RESOURCE_EXHAUSTED to make room for the new one.
 *
 * <p>Why: a stream that sends headers and nothing else costs its client a few bytes, yet it counts as a call in
 * flight and holds a slot of {@link InFlightCallLimit}; thousands of them would leave real calls nothing but
 * RESOURCE_EXHAUSTED. Here they hold at most {@code max} slots, and a real call, whose message follows its headers
 * within microseconds, always gets in, at worst by pushing the oldest waiting stream out. A legitimate call is
 * pushed out only while {@code max} newer calls arrive during its upload, which only a flood does.
 *
 * <p>Runs on the transport threads (the server's services run there, {@code directExecutor}); one short lock per
 * call start and per first message. A call leaves the waiting set on its first message, half-close, cancellation,
 * completion, or its own close. An evicted call hears nothing more (its late message and half-close are dropped,
 * its cancellation still arrives), and every close goes through one guard, so the eviction and the service cannot
 * both close it.
 */
final class AwaitingMessageLimit implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AwaitingMessageLimit.class);

    private final int max;
    private final Object lock = new Object();
    /** In arrival order, so the first is the oldest. Guarded by {@link #lock}. */
    private final Set<Waiting<?, ?>> waiting = new LinkedHashSet<>();
    private long evictions;

    AwaitingMessageLimit(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("the limit on gRPC calls awaiting their message must be positive, was "
                    + max);
        }
        this.max = max;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        Waiting<Q, A> entry = new Waiting<>(call);
        Waiting<?, ?> evicted = null;
        long evictedSoFar = 0;
        synchronized (lock) {
            if (waiting.size() >= max) {
                Iterator<Waiting<?, ?>> oldest = waiting.iterator();
                evicted = oldest.next();
                oldest.remove();
                evicted.evicted = true;
                evictedSoFar = ++evictions;
            }
            waiting.add(entry);
        }
        if (evicted != null) {
            if (Long.bitCount(evictedSoFar) == 1) {
                // 1, 2, 4, 8 ...: a flood shows in the log without filling it.
                LOG.warn("{} gRPC call(s) ended so far for sending no request message while {} others waited "
                        + "(--grpc_max_calls_awaiting_message)", evictedSoFar, max);
            }
            evicted.close(Status.RESOURCE_EXHAUSTED.withDescription("The call sent no request message while "
                    + max + " newer calls waited for theirs; retry (--grpc_max_calls_awaiting_message)"));
        }
        try {
            return entry.listen(next.startCall(entry, headers));
        } catch (RuntimeException e) {
            heard(entry, true);
            throw e;
        }
    }

    /**
     * Whether the call may still hear of events (it was not evicted); with {@code leaving}, also takes it out of the
     * waiting set.
     */
    private boolean heard(Waiting<?, ?> entry, boolean leaving) {
        if (entry.left) {
            return true;
        }
        synchronized (lock) {
            if (entry.evicted) {
                return false;
            }
            if (leaving) {
                waiting.remove(entry);
                entry.left = true;
            }
            return true;
        }
    }

    /** Calls waiting for their first message now. */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** One call from its start to its first message: the call as the service sees it, with a guarded close. */
    private final class Waiting<Q, A> extends SimpleForwardingServerCall<Q, A> {

        /** Set under {@link AwaitingMessageLimit#lock} when evicted; then the call hears nothing more. */
        private boolean evicted;
        /** Set under {@link AwaitingMessageLimit#lock} once it left the waiting set (it then stays there). */
        private volatile boolean left;
        private boolean closed;

        Waiting(ServerCall<Q, A> call) {
            super(call);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            heard(this, true);
            super.close(status, trailers);
        }

        void close(Status status) {
            close(status, new Metadata());
        }

        @Override
        public void sendHeaders(Metadata headers) {
            if (!isClosed()) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public void sendMessage(A message) {
            if (!isClosed()) {
                super.sendMessage(message);
            }
        }

        private synchronized boolean isClosed() {
            return closed;
        }

        /**
         * The service's listener, told of events only while this call has not been evicted. Its first message,
         * half-close, cancellation or completion takes it out of the waiting set; readiness does not (a stream is
         * ready before anything arrives).
         */
        ServerCall.Listener<Q> listen(ServerCall.Listener<Q> listener) {
            return new SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onMessage(Q message) {
                    if (heard(Waiting.this, true)) {
                        super.onMessage(message);
                    }
                }

                @Override
                public void onHalfClose() {
                    if (heard(Waiting.this, true)) {
                        super.onHalfClose();
                    }
                }

                @Override
                public void onReady() {
                    if (heard(Waiting.this, false)) {
                        super.onReady();
                    }
                }

                @Override
                public void onCancel() {
                    heard(Waiting.this, true);
                    super.onCancel();
                }

                @Override
                public void onComplete() {
                    heard(Waiting.this, true);
                    super.onComplete();
                }
            };
        }
    }
}
