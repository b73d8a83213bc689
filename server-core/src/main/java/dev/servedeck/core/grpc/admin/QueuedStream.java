package dev.servedeck.core.grpc.admin;

import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * A stream of items (events, request log entries) to one client, with a bounded buffer: items come from any thread
 * and wait here until grpc-java says the client can take more ({@code isReady}). When the buffer is full the oldest
 * item gives way, and the client gets a "dropped N" message where they were, so a slow reader costs the server at
 * most {@code capacity} items and sees the newest ones, not an ever older backlog.
 *
 * @param <T> the item
 * @param <M> the stream's message
 */
final class QueuedStream<T, M> implements AdminStreams.OpenStream {

    private static final int READY_THRESHOLD_BYTES = 4096;

    private final ServerCallStreamObserver<M> call;
    private final AdminStreams streams;
    private final int capacity;
    private final Function<T, M> message;
    private final LongFunction<M> droppedMessage;
    private final Supplier<M> heartbeatMessage;
    private final long heartbeatNanos;
    /** Guarded by itself, with {@link #dropped}. */
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    /** Items lost before the head of the queue, to report before it. Guarded by {@link #queue}. */
    private long dropped;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    /** The following fields only on the streams' thread. */
    private boolean ended;
    private long lastSentNanos = System.nanoTime();

    QueuedStream(ServerCallStreamObserver<M> call, AdminStreams streams, int capacity, Function<T, M> message,
            LongFunction<M> droppedMessage, Supplier<M> heartbeatMessage, Duration heartbeat) {
        this.call = call;
        this.streams = streams;
        this.capacity = capacity;
        this.message = message;
        this.droppedMessage = droppedMessage;
        this.heartbeatMessage = heartbeatMessage;
        this.heartbeatNanos = heartbeat.toNanos();
    }

    /** Wires the stream to its call: sends when the client can take more, cleans up when it goes away. */
    void attach() {
        // The transport holds a few messages at most (grpc-java's default is 32 KiB); the rest wait in the bounded
        // queue, where a slow client's oldest items give way.
        call.setOnReadyThreshold(READY_THRESHOLD_BYTES);
        call.setOnReadyHandler(() -> {
            // "Ready" comes after every message sent; only items still waiting need the streams' thread.
            if (hasWaiting()) {
                scheduleDrain();
            }
        });
        call.setOnCancelHandler(() -> streams.execute(this::cancelled));
    }

    /** Adds an item (any thread; never blocks). */
    void offer(T item) {
        synchronized (queue) {
            if (queue.size() == capacity) {
                queue.removeFirst();
                dropped++;
            }
            queue.addLast(item);
        }
        scheduleDrain();
    }

    /** Counts items the client will never get, reported before the next item (a resume beyond what is held). */
    void lost(long count) {
        synchronized (queue) {
            dropped += count;
        }
        scheduleDrain();
    }

    /** Closed when the stream ends, on any account. */
    void holdUntilEnd(AutoCloseable subscription) {
        streams.execute(() -> {
            if (ended) {
                closeQuietly(subscription);
            } else {
                subscriptions.add(subscription);
            }
        });
    }

    private boolean hasWaiting() {
        synchronized (queue) {
            return dropped > 0 || !queue.isEmpty();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            streams.execute(this::drain);
        }
    }

    /** Sends while the client can take more. Streams' thread. */
    private void drain() {
        drainScheduled.set(false);
        while (!ended && call.isReady()) {
            M next;
            synchronized (queue) {
                if (dropped > 0) {
                    next = droppedMessage.apply(dropped);
                    dropped = 0;
                } else {
                    T item = queue.pollFirst();
                    if (item == null) {
                        return;
                    }
                    next = message.apply(item);
                }
            }
            call.onNext(next);
            lastSentNanos = System.nanoTime();
        }
    }

    @Override
    public void heartbeat(long nowNanos) {
        if (!ended && nowNanos - lastSentNanos >= heartbeatNanos && call.isReady()) {
            call.onNext(heartbeatMessage.get());
            lastSentNanos = nowNanos;
        }
    }

    @Override
    public void end() {
        if (!ended) {
            release();
            call.onCompleted();
        }
    }

    /** The client cancelled, or its connection went away. Streams' thread. */
    private void cancelled() {
        if (!ended) {
            release();
        }
    }

    private void release() {
        ended = true;
        subscriptions.forEach(QueuedStream::closeQuietly);
        subscriptions.clear();
        synchronized (queue) {
            queue.clear();
        }
        streams.closed(this);
    }

    private static void closeQuietly(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            // Unsubscribing only removes a listener from a list; nothing to do if it fails.
        }
    }
}
