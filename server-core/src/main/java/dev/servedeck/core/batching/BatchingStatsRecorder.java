package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the scheduler does, from many threads without locks; {@link #snapshot} makes the immutable view.
 * Server-wide: the model of each event is ignored.
 */
final class BatchingStatsRecorder implements BatchObserver {

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

    @Override
    public void batchRan(ServableId servable, int realRows, int paddedRows, int pieces) {
        batches.increment();
        tasks.add(pieces);
        rows.add(realRows);
        paddingRows.add(paddedRows - realRows);
        batchSizes.computeIfAbsent(realRows, size -> new LongAdder()).increment();
    }

    @Override
    public void dequeued(String threadPoolName, ServableId servable, long nanos) {
        long waited = Math.max(0, nanos);
        queueingNanos.add(waited);
        queueingSamples.increment();
        maxQueueingNanos.accumulate(waited);
    }

    @Override
    public void rejectedQueueFull(ServableId servable) {
        rejectedQueueFull.increment();
    }

    @Override
    public void expired(ServableId servable) {
        expired.increment();
    }

    @Override
    public void passedThrough(ServableId servable) {
        passedThrough.increment();
    }

    BatchingStats snapshot(SortedMap<String, QueueDepth> queuedByModel) {
        SortedMap<Integer, Long> sizes = new TreeMap<>();
        batchSizes.forEach((size, count) -> sizes.put(size, count.sum()));
        long samples = queueingSamples.sum();
        Duration mean = samples == 0 ? Duration.ZERO : Duration.ofNanos(queueingNanos.sum() / samples);
        return new BatchingStats(batches.sum(), tasks.sum(), rows.sum(), paddingRows.sum(), sizes, queuedByModel, mean,
                Duration.ofNanos(maxQueueingNanos.get()), rejectedQueueFull.sum(), expired.sum(), passedThrough.sum());
    }
}
