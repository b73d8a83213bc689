package dev.servedeck.bench;

import java.util.Arrays;

/** Per-call latencies in nanoseconds, kept whole (not bucketed) so percentiles are exact. */
final class LatencySamples {

    private final long[] nanos;
    private int count;

    LatencySamples(int capacity) {
        this.nanos = new long[capacity];
    }

    boolean isFull() {
        return count == nanos.length;
    }

    void add(long elapsedNanos) {
        nanos[count++] = elapsedNanos;
    }

    int count() {
        return count;
    }

    /** The nearest-rank percentile, in microseconds; {@code percent} in (0, 100]. */
    double percentileMicros(double percent) {
        if (count == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100 * count);
        return sorted[Math.max(0, rank - 1)] / 1_000.0;
    }
}
