package dev.servedeck.core.metrics;

/**
 * A part of the server that keeps its own numbers (the batch scheduler's queue depth) and reports them when
 * metrics are scraped, rather than on every request. Polled on the scraping thread: {@link #report} should
 * read an immutable snapshot and return quickly. Distributions need every observation instead: the batch
 * scheduler's go through {@link BatchingMetrics}.
 *
 * <p>Sources speak in names, labels and numbers only, so their packages need no metrics library.
 */
@FunctionalInterface
public interface MetricSource {

    void report(MetricSink sink);
}
