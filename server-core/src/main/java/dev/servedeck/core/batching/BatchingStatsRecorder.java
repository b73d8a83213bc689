package dev.servedeck.core.batching;

import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the scheduler does, from many threads without locks; {@link #snapshot} makes the immutable view. */
final class BatchingStatsRecorder {

    private final LongAdder batches = new LongAdder();
    private final LongAdder tasks = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder paddingRows = new LongAdder();
    private final Map<Integer, LongAdder> batchSizes = new ConcurrentHashMap<>();
    private final LongAdder queueingNanos = new LongAdder();
    private final LongAdder queueingSamples = new LongAdder();
    private final LongAccumulator maxQueueingNanos = new LongAccumulator(Math::max, 0);
    private final LongAdder rejectedQueueFull = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder passedThrough = new LongAdder();

    void recordBatch(int realRows, int padding, int pieces) {
        batches.increment();
        tasks.add(pieces);
        rows.add(realRows);
        paddingRows.add(padding);
        batchSizes.computeIfAbsent(realRows, size -> new LongAdder()).increment();
    }

    void recordQueueing(long nanos) {
        long waited = Math.max(0, nanos);
        queueingNanos.add(waited);
        queueingSamples.increment();
        maxQueueingNanos.accumulate(waited);
    }

    void recordRejected() {
        rejectedQueueFull.increment();
    }

    void recordExpired() {
        expired.increment();
    }

    void recordPassThrough() {
        passedThrough.increment();
    }

    BatchingStats snapshot(int queuedTasks, long queuedRows) {
        SortedMap<Integer, Long> sizes = new TreeMap<>();
        batchSizes.forEach((size, count) -> sizes.put(size, count.sum()));
        long samples = queueingSamples.sum();
        Duration mean = samples == 0 ? Duration.ZERO : Duration.ofNanos(queueingNanos.sum() / samples);
        return new BatchingStats(batches.sum(), tasks.sum(), rows.sum(), paddingRows.sum(), sizes, queuedTasks,
                queuedRows, mean, Duration.ofNanos(maxQueueingNanos.get()), rejectedQueueFull.sum(), expired.sum(),
                passedThrough.sum());
    }
}
