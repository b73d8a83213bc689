package dev.servedeck.core.metrics;

import dev.servedeck.core.batching.BatchObserver;
import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.batching.QueueDepth;
import dev.servedeck.core.servable.ServableId;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Batching as TF Serving's batching session reports it, same names, labels and buckets
 * (tensorflow_serving/batching/batching_session.cc and batching_util.h), plus ServeDeck's
 * {@code servedeck_batching_*} per model. Histograms and counters are fed by the scheduler as things
 * happen ({@link BatchObserver}: lock-free client library cells, so the batch threads pay a few adds);
 * the queue depth is read from the scheduler's snapshot at scrape time.
 */
final class BatchingMetrics implements BatchObserver {

    /** TF Serving's queuing latency buckets: {@code Buckets::Exponential(100, 1.2, 52)}, 100 µs to about 1.1 s. */
    static final double[] QUEUING_LATENCY_BUCKETS_MICROS = ServingMetrics.exponential(100, 1.2, 52);
    /** TF Serving's batch size buckets: {@code Buckets::Exponential(1, 2, 14)}, 1 to 8192. */
    static final double[] BATCH_SIZE_BUCKETS = ServingMetrics.exponential(1, 2, 14);

    private final Histogram queuingLatency = Histogram.builder()
            .name(":tensorflow:serving:batching_session:queuing_latency")
            .help("Distribution of wall time spent (in microseconds) in queuing")
            .labelNames("thread_pool_name")
            .classicOnly().classicUpperBounds(QUEUING_LATENCY_BUCKETS_MICROS)
            .build();
    private final Histogram inputBatchSize = Histogram.builder()
            .name(":tensorflow:serving:batching_session:input_batch_size")
            .help("Tracks the batch size distribution on the inputs.")
            .classicOnly().classicUpperBounds(BATCH_SIZE_BUCKETS)
            .build();
    private final Histogram processedBatchSize = Histogram.builder()
            .name(":tensorflow:serving:batching_session:processed_batch_size")
            .help("Tracks the batch size distribution on processing.")
            .classicOnly().classicUpperBounds(BATCH_SIZE_BUCKETS)
            .build();
    private final Histogram paddingSize = Histogram.builder()
            .name(":tensorflow:serving:batching_session:padding_size")
            .help("Tracks the padding size distribution on batches.")
            .labelNames("execution_batch_size")
            .classicOnly().classicUpperBounds(BATCH_SIZE_BUCKETS)
            .build();
    private final Counter batches = perModelCounter("servedeck_batching_batches_total",
            "ServeDeck: batches run.");
    private final Counter rows = perModelCounter("servedeck_batching_rows_total",
            "ServeDeck: rows of real requests run in batches (padding excluded).");
    private final Counter rejected = perModelCounter("servedeck_batching_rejected_total",
            "ServeDeck: requests refused with RESOURCE_EXHAUSTED (HTTP 429) because their batch queue was full.");
    private final Counter expired = perModelCounter("servedeck_batching_expired_total",
            "ServeDeck: requests dropped with DEADLINE_EXCEEDED while waiting for a batch.");
    private final Counter passedThrough = perModelCounter("servedeck_batching_passed_through_total",
            "ServeDeck: Predict requests that could not batch and ran on their own.");
    /** Every model that reached the scheduler, so that an empty queue reads 0 instead of vanishing. */
    private final Set<String> models = ConcurrentHashMap.newKeySet();

    /** Adds the batching metrics to the scrape; the queue depth is read from {@code stats} at every scrape. */
    void register(ServingMetrics metrics, Supplier<BatchingStats> stats) {
        PrometheusRegistry registry = metrics.registry();
        registry.register(queuingLatency);
        registry.register(inputBatchSize);
        registry.register(processedBatchSize);
        registry.register(paddingSize);
        registry.register(batches);
        registry.register(rows);
        registry.register(rejected);
        registry.register(expired);
        registry.register(passedThrough);
        metrics.addSource(sink -> reportQueueDepth(sink, stats.get()));
    }

    @Override
    public void requestArrived(ServableId servable, int requestRows) {
        seen(servable.name());
        inputBatchSize.observe(requestRows);
    }

    @Override
    public void rejectedQueueFull(ServableId servable) {
        rejected.labelValues(servable.name()).inc();
    }

    @Override
    public void expired(ServableId servable) {
        expired.labelValues(servable.name()).inc();
    }

    @Override
    public void passedThrough(ServableId servable) {
        seen(servable.name());
        passedThrough.labelValues(servable.name()).inc();
    }

    @Override
    public void dequeued(String threadPoolName, ServableId servable, long queuedNanos) {
        queuingLatency.labelValues(threadPoolName).observe(Math.max(0, queuedNanos) / 1_000);
    }

    @Override
    public void batchRan(ServableId servable, int realRows, int paddedRows, int tasks) {
        batches.labelValues(servable.name()).inc();
        rows.labelValues(servable.name()).inc(realRows);
        // As TF Serving: the processed size is the padded one, and every batch records its padding (0 too).
        processedBatchSize.observe(paddedRows);
        paddingSize.labelValues(Integer.toString(paddedRows)).observe(paddedRows - realRows);
    }

    /**
     * A model's counters start at 0 when it first reaches the scheduler, so that {@code rate()} and alerts
     * on rejections see the series before the first one. {@code contains()} first: a plain read on the hot
     * path; the insert happens once per model.
     */
    private void seen(String model) {
        if (!models.contains(model) && models.add(model)) {
            for (Counter counter : List.of(batches, rows, rejected, expired, passedThrough)) {
                counter.labelValues(model);
            }
        }
    }

    private void reportQueueDepth(MetricSink sink, BatchingStats stats) {
        Set<String> names = new TreeSet<>(models);
        names.addAll(stats.queuedByModel().keySet());
        for (String model : names) {
            QueueDepth depth = stats.queuedByModel().getOrDefault(model, QueueDepth.EMPTY);
            Map<String, String> labels = Map.of("model_name", model);
            sink.gauge("servedeck_batching_queue_depth_tasks",
                    "ServeDeck: requests (or pieces of split requests) waiting for a batch.", labels, depth.tasks());
            sink.gauge("servedeck_batching_queue_depth_rows", "ServeDeck: rows waiting for a batch.", labels,
                    depth.rows());
        }
    }

    private static Counter perModelCounter(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("model_name").build();
    }
}
