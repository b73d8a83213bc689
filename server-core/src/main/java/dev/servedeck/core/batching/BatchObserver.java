package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;

/**
 * Told what the {@link BatchScheduler} does, one event at a time. {@link BatchingStats} keeps only
 * aggregates; distributions (queuing latency, batch sizes) need every observation, so metrics record them
 * here. This package knows no metrics library: monitoring implements the interface.
 *
 * <p>Called on request threads and batch threads, some calls while the scheduler holds its lock:
 * implementations must be thread-safe, cheap and non-blocking, and must not call the scheduler.
 */
public interface BatchObserver {

    /** Observes nothing: batching without metrics. */
    BatchObserver NONE = new BatchObserver() {
    };

    /** Tells {@code first}, then {@code second}, every event. */
    static BatchObserver both(BatchObserver first, BatchObserver second) {
        return new ObserverPair(first, second);
    }

    /** A Predict request handed to the scheduler, before it is queued or refused. */
    default void requestArrived(ServableId servable, int rows) {
    }

    /** A request refused with RESOURCE_EXHAUSTED because its queue was full (HTTP 429). */
    default void rejectedQueueFull(ServableId servable) {
    }

    /** A queued request dropped with DEADLINE_EXCEEDED before it ran. */
    default void expired(ServableId servable) {
    }

    /** A Predict request that could not batch and ran on its own. */
    default void passedThrough(ServableId servable) {
    }

    /**
     * A request (or piece of a split request) taken into a batch.
     *
     * @param threadPoolName the batch threads' pool (TF Serving's {@code thread_pool_name})
     * @param queuedNanos how long it waited from being scheduled to its batch being formed
     */
    default void dequeued(String threadPoolName, ServableId servable, long queuedNanos) {
    }

    /**
     * A batch that ran successfully.
     *
     * @param rows rows of real requests
     * @param paddedRows rows the model ran on: {@code rows} padded up to an allowed batch size
     * @param tasks requests (or pieces) in the batch
     */
    default void batchRan(ServableId servable, int rows, int paddedRows, int tasks) {
    }
}
