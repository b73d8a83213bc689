package dev.servedeck.core.grpc.admin;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's streams: how many may be open at once, and the one thread that feeds them all.
 *
 * <p>Every message of every admin stream is sent from this one named daemon thread, so a stream's state needs no
 * lock and no stream can make another wait long: a send only queues bytes on the transport, and a stream whose
 * client reads slowly is simply not sent to until grpc-java says it is ready again. Other threads (the transport's
 * callbacks, event sources) only hand work to it.
 */
final class AdminStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminStreams.class);

    /** Streams open at once by default: a fleet console per operator, a few wall displays, some tools. */
    static final int DEFAULT_MAX_STREAMS = 32;
    /** How often idle event and log streams get a heartbeat. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** One open stream, as this class sees it. Every method runs on the streams' thread. */
    interface OpenStream {
        /** Ends the stream (the server stops): tell the client it is over, drop subscriptions. */
        void end();

        /** Sends a heartbeat if the stream has been idle for {@link #HEARTBEAT}. */
        default void heartbeat(long nowNanos) {
        }
    }

    private final int maxStreams;
    private final Set<OpenStream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread sender = new Thread(task, "servedeck-admin-streams");
        sender.setDaemon(true); // the server's close() ends the streams; the thread must never keep the JVM up
        return sender;
    });

    AdminStreams(int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be positive, was " + maxStreams);
        }
        this.maxStreams = maxStreams;
        long heartbeatMillis = 1000;
        thread.scheduleWithFixedDelay(this::heartbeats, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** Counts a new stream in; false when {@link #maxStreams()} are open already. */
    synchronized boolean tryOpen(OpenStream stream) {
        if (open.size() >= maxStreams) {
            return false;
        }
        open.add(stream);
        return true;
    }

    /** A stream is over (ended, cancelled by its client, or its connection gone): its place is free. */
    void closed(OpenStream stream) {
        open.remove(stream);
    }

    int openCount() {
        return open.size();
    }

    int maxStreams() {
        return maxStreams;
    }

    /** Runs {@code work} on the streams' thread; dropped once the server is shutting down. */
    void execute(Runnable work) {
        try {
            thread.execute(() -> runQuietly(work));
        } catch (RejectedExecutionException e) {
            LOG.debug("Admin stream work dropped: the streams' thread has stopped");
        }
    }

    /** Runs {@code work} on the streams' thread every {@code period}. */
    void every(Duration period, Runnable work) {
        long nanos = period.toNanos();
        thread.scheduleAtFixedRate(() -> runQuietly(work), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void heartbeats() {
        long now = System.nanoTime();
        for (OpenStream stream : open) {
            runQuietly(() -> stream.heartbeat(now));
        }
    }

    /** A periodic task that throws is never run again: log, and keep the streams going. */
    private static void runQuietly(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("An admin stream task failed", e);
        }
    }

    /**
     * Ends every open stream (the server is shutting down), so that a graceful shutdown does not wait its whole
     * grace period for streams that never end on their own. Waits until they are ended.
     */
    void endAll() {
        CountDownLatch done = new CountDownLatch(1);
        execute(() -> {
            for (OpenStream stream : open) {
                runQuietly(stream::end);
            }
            done.countDown();
        });
        try {
            done.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
