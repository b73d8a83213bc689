package dev.servedeck.core;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the serving core runs, independent of any front end.
 *
 * @param fileSystemPollWait how often model base paths are scanned for new or removed versions
 *     ({@code --file_system_poll_wait_seconds}); zero or negative scans once at start-up only
 * @param tensorflow how SavedModels are loaded (tags, op parallelism)
 * @param allowVersionLabelsForUnavailableModels lets a label point at a version that is not AVAILABLE
 * @param loadThreads how many versions may load at once
 * @param loadTimeout how long a config change waits for its models to finish loading before answering
 * @param batching whether and how Predict requests are batched
 */
public record ServerCoreOptions(
        Duration fileSystemPollWait,
        TensorflowOptions tensorflow,
        boolean allowVersionLabelsForUnavailableModels,
        int loadThreads,
        Duration loadTimeout,
        BatchingConfig batching) {

    public ServerCoreOptions {
        Objects.requireNonNull(fileSystemPollWait, "fileSystemPollWait");
        Objects.requireNonNull(tensorflow, "tensorflow");
        Objects.requireNonNull(loadTimeout, "loadTimeout");
        Objects.requireNonNull(batching, "batching");
        if (loadThreads < 1) {
            throw new IllegalArgumentException("loadThreads must be at least 1");
        }
    }

    public static ServerCoreOptions defaults() {
        return new ServerCoreOptions(Duration.ofSeconds(1), TensorflowOptions.defaults(), false, 2, Duration.ofMinutes(10),
                BatchingConfig.disabled());
    }

    public ServerCoreOptions withFileSystemPollWait(Duration wait) {
        return new ServerCoreOptions(wait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads, loadTimeout,
                batching);
    }

    public ServerCoreOptions withAllowVersionLabelsForUnavailableModels(boolean allow) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allow, loadThreads, loadTimeout, batching);
    }

    public ServerCoreOptions withTensorflow(TensorflowOptions options) {
        return new ServerCoreOptions(fileSystemPollWait, options, allowVersionLabelsForUnavailableModels, loadThreads,
                loadTimeout, batching);
    }

    public ServerCoreOptions withBatching(BatchingConfig config) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads,
                loadTimeout, config);
    }
}
