package dev.servedeck.console.monitor;

import dev.servedeck.core.metrics.StatisticsSample;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Monitor's charts: what each plots from a {@link StatisticsSample}, in which unit and colour role. Plain
 * data, so the ViewModel names exported files and formats read-outs while the view draws.
 */
public enum ChartKind {
    THROUGHPUT("throughput", "Throughput", "per second",
            new Series("requests/s", SeriesRole.ACCENT, StatisticsSample::requestsPerSecond),
            new Series("rows/s", SeriesRole.SUCCESS, StatisticsSample::rowsPerSecond)),
    LATENCY("latency", "Latency", "ms",
            new Series("p50", SeriesRole.SUCCESS, StatisticsSample::p50Millis),
            new Series("p95", SeriesRole.WARNING, StatisticsSample::p95Millis),
            new Series("p99", SeriesRole.DANGER, StatisticsSample::p99Millis)),
    ERRORS("errors", "Errors", "errors/s",
            new Series("errors/s", SeriesRole.DANGER, StatisticsSample::errorsPerSecond)),
    BATCH_SIZE("batch-size", "Batch size", "rows per batch",
            new Series("mean rows per batch", SeriesRole.ACCENT, StatisticsSample::meanBatchSize)),
    QUEUE_DEPTH("queue-depth", "Queue depth", "queued tasks",
            new Series("queued tasks", SeriesRole.WARNING, StatisticsSample::queuedTasks));

    /** Which of the theme's semantic colours a series is drawn in. */
    public enum SeriesRole {
        ACCENT, SUCCESS, WARNING, DANGER
    }

    /** One line of a chart. */
    public record Series(String name, SeriesRole role, ToDoubleFunction<StatisticsSample> value) {
    }

    private final String fileKey;
    private final String title;
    private final String unit;
    private final List<Series> series;

    ChartKind(String fileKey, String title, String unit, Series... series) {
        this.fileKey = fileKey;
        this.title = title;
        this.unit = unit;
        this.series = List.of(series);
    }

    /** The chart's word in exported file names, e.g. {@code throughput}. */
    public String fileKey() {
        return fileKey;
    }

    public String title() {
        return title;
    }

    /** The value axis's label. */
    public String unit() {
        return unit;
    }

    public List<Series> series() {
        return series;
    }

    /** Batch size and queue depth come from the shared batch scheduler: every model together. */
    public boolean serverWide() {
        return this == BATCH_SIZE || this == QUEUE_DEPTH;
    }
}
