package dev.servedeck.core.metrics;

import dev.servedeck.core.batching.BatchingStats;
import java.time.Duration;
import java.util.Objects;

/**
 * Batching over the last step of the live statistics (their short window), for the console's charts of
 * batch size and queue depth over time.
 *
 * @param window the time the counts cover
 * @param batches batches run in it
 * @param rows rows of real requests run in those batches
 * @param queuedTasks requests (or pieces of split requests) waiting when the window closed, every model together
 * @param queuedRows rows waiting then
 */
public record BatchingActivity(Duration window, long batches, long rows, int queuedTasks, long queuedRows) {

    public BatchingActivity {
        Objects.requireNonNull(window, "window");
    }

    /** What happened between two snapshots of the scheduler's statistics, {@code window} apart. */
    static BatchingActivity between(BatchingStats before, BatchingStats after, Duration window) {
        return new BatchingActivity(window, after.batches() - before.batches(), after.rows() - before.rows(),
                after.queuedTasks(), after.queuedRows());
    }

    /** Real rows per batch; 0 when no batch ran. */
    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) rows / batches;
    }

    public double batchesPerSecond() {
        return window.isZero() ? 0 : batches / (window.toNanos() / 1e9);
    }
}
