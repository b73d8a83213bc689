package dev.servedeck.core.lifecycle;

import java.time.Duration;

/**
 * Starts a version's next load attempt once the retry interval has passed: the only time the manager waits for.
 * Behind an interface, as DESIGN.md asks of every source of time, so tests fire retries by hand instead of
 * sleeping through the interval.
 */
public interface LoadRetryScheduler extends AutoCloseable {

    /** Runs {@code attempt} after {@code delay}, on a thread of the scheduler's own; it must be quick. */
    void schedule(Duration delay, Runnable attempt);

    /** Drops the attempts not yet due; the manager calls it when it closes. */
    @Override
    void close();

    /** The production scheduler: one named daemon thread, started at the first retry. */
    static LoadRetryScheduler daemonThread() {
        return new RetryTimerThread();
    }
}
