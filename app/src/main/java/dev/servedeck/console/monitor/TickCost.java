package dev.servedeck.console.monitor;

import java.util.Arrays;

/**
 * FX-thread time of the Monitor's chart updates: the mean and maximum over the last ticks, and how many
 * there were. Fed by the FX thread; read on it (tests and the cost probe hop there).
 */
public final class TickCost {

    private final long[] nanos;
    private int next;
    private int filled;
    private long count;
    private long maxEverNanos;
    private long totalNanos;

    public TickCost(int window) {
        this.nanos = new long[window];
    }

    void record(long elapsedNanos) {
        nanos[next] = elapsedNanos;
        next = (next + 1) % nanos.length;
        filled = Math.min(filled + 1, nanos.length);
        count++;
        totalNanos += elapsedNanos;
        maxEverNanos = Math.max(maxEverNanos, elapsedNanos);
    }

    /** Ticks recorded since the start. */
    public long count() {
        return count;
    }

    /** FX time of every tick since the start, in nanoseconds: the mean between two readings is their difference over the ticks'. */
    public long totalNanos() {
        return totalNanos;
    }

    /** Mean over the last ticks (up to the window), in milliseconds; 0 before the first. */
    public double meanMillis() {
        return filled == 0 ? 0 : Arrays.stream(nanos, 0, filled).average().orElse(0) / 1e6;
    }

    /** Maximum over the last ticks (up to the window), in milliseconds. */
    public double maxMillis() {
        return filled == 0 ? 0 : Arrays.stream(nanos, 0, filled).max().orElse(0) / 1e6;
    }

    /** Maximum since the start, in milliseconds (the first tick draws fonts and shapes for the first time). */
    public double maxEverMillis() {
        return maxEverNanos / 1e6;
    }
}
