package dev.servedeck.core.lifecycle;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link LoadRetryScheduler#daemonThread()}: a scheduled executor whose one daemon thread starts with the first retry. */
final class RetryTimerThread implements LoadRetryScheduler {

    private final ScheduledThreadPoolExecutor timer =
            new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("servedeck-load-retry"));

    RetryTimerThread() {
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void schedule(Duration delay, Runnable attempt) {
        timer.schedule(attempt, saturatedNanos(delay), TimeUnit.NANOSECONDS);
    }

    /** An interval of centuries (a script's "never retry") waits as long as a long holds, not an overflow. */
    private static long saturatedNanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
