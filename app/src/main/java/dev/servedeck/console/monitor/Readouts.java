package dev.servedeck.console.monitor;

import dev.servedeck.core.metrics.StatisticsSample;

/** The current value of each chart in words, shown in the chart's header. */
final class Readouts {

    private Readouts() {
    }

    static String format(ChartKind kind, StatisticsSample sample) {
        return switch (kind) {
            case THROUGHPUT -> String.format("%s req/s · %s rows/s", rate(sample.requestsPerSecond()),
                    rate(sample.rowsPerSecond()));
            case LATENCY -> Double.isNaN(sample.p50Millis()) ? "no requests"
                    : String.format("p50 %s · p95 %s · p99 %s ms", millis(sample.p50Millis()),
                            millis(sample.p95Millis()), millis(sample.p99Millis()));
            case ERRORS -> Double.isNaN(sample.errorPercent())
                    ? String.format("%s errors/s", rate(sample.errorsPerSecond()))
                    : String.format("%s errors/s (%.1f %%)", rate(sample.errorsPerSecond()), sample.errorPercent());
            case BATCH_SIZE -> Double.isNaN(sample.queuedTasks()) ? "batching off"
                    : Double.isNaN(sample.meanBatchSize()) ? "no batches"
                    : String.format("%.1f rows per batch", sample.meanBatchSize());
            case QUEUE_DEPTH -> Double.isNaN(sample.queuedTasks()) ? "batching off"
                    : String.format("%,.0f queued", sample.queuedTasks());
        };
    }

    private static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "–";
        }
        return perSecond >= 100 ? String.format("%,.0f", perSecond) : String.format("%.1f", perSecond);
    }

    /** Two significant digits at least: latencies span microseconds to seconds. */
    private static String millis(double value) {
        if (value >= 100) {
            return String.format("%,.0f", value);
        }
        return value >= 10 ? String.format("%.1f", value) : String.format("%.2f", value);
    }
}
