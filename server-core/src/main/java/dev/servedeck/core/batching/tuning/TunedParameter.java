package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import java.util.List;

/** The three batching parameters the tuner varies, under TF Serving's field names. */
public enum TunedParameter {
    MAX_BATCH_SIZE("max_batch_size"),
    NUM_BATCH_THREADS("num_batch_threads"),
    BATCH_TIMEOUT_MICROS("batch_timeout_micros");

    private final String field;

    TunedParameter(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }

    public long valueIn(BatchingOptions options) {
        return switch (this) {
            case MAX_BATCH_SIZE -> options.maxBatchSize();
            case NUM_BATCH_THREADS -> options.numBatchThreads();
            case BATCH_TIMEOUT_MICROS -> options.batchTimeoutMicros();
        };
    }

    /** {@code options} with this parameter at {@code value}, everything else as it was. */
    public BatchingOptions with(BatchingOptions options, long value) {
        return switch (this) {
            case MAX_BATCH_SIZE -> withMaxBatchSize(options, Math.toIntExact(value));
            case NUM_BATCH_THREADS -> options.withNumBatchThreads(Math.toIntExact(value));
            case BATCH_TIMEOUT_MICROS -> options.withBatchTimeoutMicros(value);
        };
    }

    /**
     * A new largest batch keeps the parameters that depend on it valid: allowed batch sizes must end at it (they
     * are dropped when they do not: padding to sizes chosen for another maximum would mislead the measurement), and
     * a split request's pieces may not exceed it.
     */
    private static BatchingOptions withMaxBatchSize(BatchingOptions options, int size) {
        List<Integer> allowed = options.allowedBatchSizes();
        int limit = options.enableLargeBatchSplitting() ? Math.min(options.maxExecutionBatchSize(), size) : size;
        boolean allowedStillEnd = !allowed.isEmpty() && allowed.get(allowed.size() - 1) == limit;
        return new BatchingOptions(size, options.batchTimeoutMicros(), options.maxEnqueuedBatches(),
                options.numBatchThreads(), options.threadPoolName(), allowedStillEnd ? allowed : List.of(),
                options.padVariableLengthInputs(), options.enableLargeBatchSplitting(), limit,
                options.adaptiveBatchTimeout());
    }
}
