package dev.servedeck.core.batching;

import java.util.Objects;

/**
 * Whether and how the serving core batches Predict requests ({@code --enable_batching},
 * {@code --batching_parameters_file}, {@code --enable_per_model_batching_parameters}).
 *
 * @param enabled batch at all; off, every request runs on its own as soon as it arrives
 * @param options the parameters shared by all models (live-editable through the core)
 * @param perModelParameters let a version folder's {@code batching_params.pbtxt} replace {@code options}
 *     for that version's queues (the threads stay shared)
 */
public record BatchingConfig(boolean enabled, BatchingOptions options, boolean perModelParameters) {

    public BatchingConfig {
        Objects.requireNonNull(options, "options");
    }

    public static BatchingConfig disabled() {
        return new BatchingConfig(false, BatchingOptions.defaults(), false);
    }

    public static BatchingConfig enabled(BatchingOptions options) {
        return new BatchingConfig(true, options, false);
    }

    public BatchingConfig withPerModelParameters(boolean perModel) {
        return new BatchingConfig(enabled, options, perModel);
    }
}
