package dev.servedeck.core.batching;

import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What batching has done since the scheduler started, as one immutable snapshot (for metrics and the
 * console). Counts only grow; the queue figures are the state at the moment of the snapshot.
 *
 * @param batches batches run
 * @param tasks requests (or pieces of split requests) run in those batches
 * @param rows rows of real requests run
 * @param paddingRows rows added to reach an allowed batch size
 * @param batchSizes how many batches ran with each number of real rows
 * @param queuedByModel what waits now, by model name (models with nothing queued are absent)
 * @param meanQueueingLatency mean time from schedule() to the batch being formed
 * @param maxQueueingLatency longest such time
 * @param rejectedQueueFull requests refused with RESOURCE_EXHAUSTED because their queue was full
 * @param expired requests dropped with DEADLINE_EXCEEDED while queued
 * @param passedThrough Predict requests that could not batch and ran on their own
 */
public record BatchingStats(
        long batches,
        long tasks,
        long rows,
        long paddingRows,
        SortedMap<Integer, Long> batchSizes,
        SortedMap<String, QueueDepth> queuedByModel,
        Duration meanQueueingLatency,
        Duration maxQueueingLatency,
        long rejectedQueueFull,
        long expired,
        long passedThrough) {

    public static final BatchingStats NONE = new BatchingStats(0, 0, 0, 0, new TreeMap<>(), new TreeMap<>(),
            Duration.ZERO, Duration.ZERO, 0, 0, 0);

    public BatchingStats {
        batchSizes = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(batchSizes, "batchSizes")));
        queuedByModel = Collections.unmodifiableSortedMap(
                new TreeMap<>(Objects.requireNonNull(queuedByModel, "queuedByModel")));
        Objects.requireNonNull(meanQueueingLatency, "meanQueueingLatency");
        Objects.requireNonNull(maxQueueingLatency, "maxQueueingLatency");
    }

    /** Requests (or pieces) waiting now, every model together. */
    public int queuedTasks() {
        return queuedByModel.values().stream().mapToInt(QueueDepth::tasks).sum();
    }

    /** Rows waiting now, every model together. */
    public long queuedRows() {
        return queuedByModel.values().stream().mapToLong(QueueDepth::rows).sum();
    }

    /** Real rows per batch; 0 before the first batch. */
    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) rows / batches;
    }
}
