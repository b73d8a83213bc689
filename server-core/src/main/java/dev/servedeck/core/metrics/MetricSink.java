package dev.servedeck.core.metrics;

import java.util.Map;

/**
 * Where a {@link MetricSource} writes its numbers at scrape time. Names are used exactly as given
 * (TF Serving's {@code :tensorflow:serving:batching_session:...} included); calls with the same name form
 * one metric family and must agree on kind, help and label names.
 */
public interface MetricSink {

    /** A value that goes up and down (queue depth). */
    void gauge(String name, String help, Map<String, String> labels, double value);

    /** A count that only grows (rejected requests), exposed under exactly this name. */
    void counter(String name, String help, Map<String, String> labels, double value);

    /**
     * A distribution (batch sizes, queuing latency in microseconds) as classic histogram buckets.
     *
     * @param upperBounds increasing bucket limits; +Inf is added when missing
     * @param bucketCounts observations per bucket (not cumulative), one per upper bound (plus one for the
     *     +Inf bucket when {@code upperBounds} lacks it)
     * @param sum the sum of all observations
     */
    void histogram(String name, String help, Map<String, String> labels, double[] upperBounds, long[] bucketCounts,
            double sum);
}
