package dev.servedeck.core.config;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import java.util.Objects;

/**
 * What a {@code --platform_config_file} sets for the tensorflow platform: how SavedModels load and run, and
 * whether Predict requests are batched (TF Serving then ignores {@code --enable_batching} and the session flags).
 */
public record TensorflowPlatform(TensorflowOptions tensorflow, BatchingConfig batching) {

    public TensorflowPlatform {
        Objects.requireNonNull(tensorflow, "tensorflow");
        Objects.requireNonNull(batching, "batching");
    }
}
