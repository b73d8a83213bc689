package dev.servedeck.core.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A retry scheduler whose retries run only when the test fires them: no test sleeps through an interval. */
final class ManualRetryScheduler implements LoadRetryScheduler {

    private final List<Duration> delays = new ArrayList<>();
    private final List<Runnable> due = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized void schedule(Duration delay, Runnable attempt) {
        delays.add(delay);
        due.add(attempt);
    }

    /** Waits (briefly) until the manager has scheduled a retry, then runs it: the state it records comes first. */
    void fireWhenScheduled() throws InterruptedException {
        awaitScheduled();
        fireAll();
    }

    /** Waits (briefly) until the manager has scheduled a retry, without running it. */
    void awaitScheduled() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (pending() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no retry was scheduled");
            }
            Thread.sleep(1);
        }
    }

    /** Runs every retry scheduled so far, as if their interval had passed. */
    void fireAll() {
        List<Runnable> now;
        synchronized (this) {
            now = new ArrayList<>(due);
            due.clear();
        }
        now.forEach(Runnable::run);
    }

    synchronized int pending() {
        return due.size();
    }

    /** The delay of every retry ever scheduled, in order. */
    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }

    synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
