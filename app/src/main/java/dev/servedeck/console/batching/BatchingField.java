package dev.servedeck.console.batching;

/**
 * The batching parameters typed as text on the Batching page, each named as in TF Serving's
 * {@code BatchingParameters} so that error messages read like the file the operator may also edit.
 * (The switches, pad_variable_length_inputs, enable_large_batch_splitting and ServeDeck's adaptive_batch_timeout,
 * cannot be invalid.)
 */
public enum BatchingField {
    MAX_BATCH_SIZE("max_batch_size"),
    BATCH_TIMEOUT_MICROS("batch_timeout_micros"),
    MAX_ENQUEUED_BATCHES("max_enqueued_batches"),
    NUM_BATCH_THREADS("num_batch_threads"),
    ALLOWED_BATCH_SIZES("allowed_batch_sizes"),
    MAX_EXECUTION_BATCH_SIZE("max_execution_batch_size");

    private final String protoName;

    BatchingField(String protoName) {
        this.protoName = protoName;
    }

    /** The field's name in a {@code --batching_parameters_file}. */
    public String protoName() {
        return protoName;
    }
}
