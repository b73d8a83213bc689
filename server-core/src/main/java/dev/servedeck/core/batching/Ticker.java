package dev.servedeck.core.batching;

/**
 * A monotonic nanosecond time source. Batching measures timeouts, deadlines and queueing latency with it,
 * so tests move time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences between two readings mean anything. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
