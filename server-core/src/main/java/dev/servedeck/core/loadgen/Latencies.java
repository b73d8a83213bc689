package dev.servedeck.core.loadgen;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of answered requests, in microseconds. In an open loop they are measured from each
 * request's intended send time, so time spent waiting for a free connection counts.
 */
public record Latencies(long count, double meanMicros, double p50Micros, double p90Micros, double p99Micros,
        double p999Micros, double maxMicros) {

    public static final Latencies NONE = new Latencies(0, 0, 0, 0, 0, 0, 0);

    /** From a histogram of nanoseconds. */
    static Latencies of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return NONE;
        }
        return new Latencies(nanos.getTotalCount(), nanos.getMean() / 1e3,
                micros(nanos, 50), micros(nanos, 90), micros(nanos, 99), micros(nanos, 99.9),
                nanos.getMaxValue() / 1e3);
    }

    private static double micros(Histogram nanos, double percentile) {
        return nanos.getValueAtPercentile(percentile) / 1e3;
    }
}
