package dev.servedeck.core.batching;

/**
 * A Predict request on its way to {@link BatchScheduler#schedule}, accepted by a front end or inside the core: from
 * {@link BatchScheduler#arriving} until it is scheduled or {@link #close() closed}, the adaptive timeout keeps its
 * model's partial batches waiting for it (at most batch_timeout_micros). Close it on every path, typically in a
 * {@code finally}: a request that turns out not to be batchable, or fails before it is queued, must stop being
 * expected. Used by one thread at a time (handing it to another through an executor is fine).
 */
public final class ArrivingRequest implements AutoCloseable {

    /** For callers that do not count arrivals (batching off, tests): nothing is expected, nothing to close. */
    public static final ArrivingRequest NONE = new ArrivingRequest(null, null);

    private final BatchScheduler scheduler;
    private final String model;
    private boolean expected;

    ArrivingRequest(BatchScheduler scheduler, String model) {
        this.scheduler = scheduler;
        this.model = model;
        this.expected = scheduler != null;
    }

    String model() {
        return model;
    }

    /**
     * Stops expecting the request. Returns whether that was the model's last request on its way; false when it was
     * no longer expected (already scheduled or closed).
     */
    boolean arrived(IncomingRequests incoming) {
        if (!expected) {
            return false;
        }
        expected = false;
        return incoming.remove(model);
    }

    /** The request will not be queued after all (or already was): stop expecting it. Idempotent. */
    @Override
    public void close() {
        if (expected) {
            scheduler.notComing(this);
        }
    }
}
