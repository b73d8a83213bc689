package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;

/** Tells two observers every event, in order: the scheduler's statistics then monitoring's, or two of monitoring's. */
record ObserverPair(BatchObserver first, BatchObserver second) implements BatchObserver {

    @Override
    public void requestArrived(ServableId servable, int rows) {
        first.requestArrived(servable, rows);
        second.requestArrived(servable, rows);
    }

    @Override
    public void rejectedQueueFull(ServableId servable) {
        first.rejectedQueueFull(servable);
        second.rejectedQueueFull(servable);
    }

    @Override
    public void expired(ServableId servable) {
        first.expired(servable);
        second.expired(servable);
    }

    @Override
    public void passedThrough(ServableId servable) {
        first.passedThrough(servable);
        second.passedThrough(servable);
    }

    @Override
    public void dequeued(String threadPoolName, ServableId servable, long queuedNanos) {
        first.dequeued(threadPoolName, servable, queuedNanos);
        second.dequeued(threadPoolName, servable, queuedNanos);
    }

    @Override
    public void batchRan(ServableId servable, int rows, int paddedRows, int tasks) {
        first.batchRan(servable, rows, paddedRows, tasks);
        second.batchRan(servable, rows, paddedRows, tasks);
    }
}
