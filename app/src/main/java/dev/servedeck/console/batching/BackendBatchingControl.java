package dev.servedeck.console.batching;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.tuning.BatchingControl;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The tuner's hold on the console's server: the same live edit as the Batching page's Apply
 * ({@link ConsoleBackend#applyBatching}). Called on the tuner's thread; it waits for each edit.
 */
final class BackendBatchingControl implements BatchingControl {

    private static final long APPLY_WAIT_SECONDS = 30;

    private final ConsoleBackend backend;

    BackendBatchingControl(ConsoleBackend backend) {
        this.backend = backend;
    }

    @Override
    public BatchingOptions current() {
        return backend.batchingOptions();
    }

    @Override
    public void apply(BatchingOptions options) throws Exception {
        try {
            backend.applyBatching(options).get(APPLY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
