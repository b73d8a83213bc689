package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;

/**
 * Where the tuner reads and changes a server's batching parameters, live (no model reloads): the admin API's
 * Get/ApplyBatchingParameters from the command line, the console's backend from the Batching page.
 */
public interface BatchingControl {

    /** The parameters in force. */
    BatchingOptions current() throws Exception;

    /** Applies {@code options} live; fails with the server's reason when it refuses them (nothing changes then). */
    void apply(BatchingOptions options) throws Exception;
}
