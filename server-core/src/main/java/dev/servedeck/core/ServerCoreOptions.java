package dev.servedeck.core;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.lifecycle.LoadRetries;
import dev.servedeck.core.security.ModelBasePathAllowlist;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the serving core runs, independent of any front end.
 *
 * @param fileSystemPollWait how often model base paths are scanned for new or removed versions
 *     ({@code --file_system_poll_wait_seconds}); zero or negative scans once at start-up only
 * @param tensorflow how SavedModels are loaded (tags, session config, op parallelism)
 * @param allowVersionLabelsForUnavailableModels lets a label point at a version that is not AVAILABLE
 * @param loadThreads how many versions may load at once ({@code --num_load_threads})
 * @param unloadThreads how many versions may unload at once ({@code --num_unload_threads})
 * @param loadRetries how often a failed load is tried again ({@code --max_num_load_retries},
 *     {@code --load_retry_interval_micros})
 * @param loadTimeout how long a config change waits for its models to finish loading before answering
 * @param batching whether and how Predict requests are batched
 * @param tensorByteLimit how many bytes a request's input tensors may declare ({@code --max_tensor_bytes}),
 *     checked before anything is allocated for them, warmup records included
 * @param modelBasePathAllowlist the folders every config (the first one included) may take models from
 *     ({@code --model_base_path_allowlist}); a config naming another base path is refused as a whole
 */
public record ServerCoreOptions(
        Duration fileSystemPollWait,
        TensorflowOptions tensorflow,
        boolean allowVersionLabelsForUnavailableModels,
        int loadThreads,
        int unloadThreads,
        LoadRetries loadRetries,
        Duration loadTimeout,
        BatchingConfig batching,
        TensorByteLimit tensorByteLimit,
        ModelBasePathAllowlist modelBasePathAllowlist) {

    public ServerCoreOptions {
        Objects.requireNonNull(fileSystemPollWait, "fileSystemPollWait");
        Objects.requireNonNull(tensorflow, "tensorflow");
        Objects.requireNonNull(loadRetries, "loadRetries");
        Objects.requireNonNull(loadTimeout, "loadTimeout");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(tensorByteLimit, "tensorByteLimit");
        Objects.requireNonNull(modelBasePathAllowlist, "modelBasePathAllowlist");
        if (loadThreads < 1 || unloadThreads < 1) {
            throw new IllegalArgumentException("loadThreads and unloadThreads must be at least 1");
        }
    }

    /**
     * Two load threads, one unload thread, and a failed load is final ({@link LoadRetries#NONE}): an embedding
     * program sees a broken model at once. The command line asks for TF Serving's retries (5, a minute apart).
     */
    public static ServerCoreOptions defaults() {
        return new ServerCoreOptions(Duration.ofSeconds(1), TensorflowOptions.defaults(), false, 2, 1, LoadRetries.NONE,
                Duration.ofMinutes(10), BatchingConfig.disabled(), TensorByteLimit.DEFAULT,
                ModelBasePathAllowlist.ANY);
    }

    public ServerCoreOptions withFileSystemPollWait(Duration wait) {
        return new ServerCoreOptions(wait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads,
                unloadThreads, loadRetries, loadTimeout, batching, tensorByteLimit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withAllowVersionLabelsForUnavailableModels(boolean allow) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allow, loadThreads, unloadThreads, loadRetries,
                loadTimeout, batching, tensorByteLimit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withTensorflow(TensorflowOptions options) {
        return new ServerCoreOptions(fileSystemPollWait, options, allowVersionLabelsForUnavailableModels, loadThreads,
                unloadThreads, loadRetries, loadTimeout, batching, tensorByteLimit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withBatching(BatchingConfig config) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads,
                unloadThreads, loadRetries, loadTimeout, config, tensorByteLimit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withLoadThreads(int load, int unload) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allowVersionLabelsForUnavailableModels, load,
                unload, loadRetries, loadTimeout, batching, tensorByteLimit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withLoadRetries(LoadRetries retries) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads,
                unloadThreads, retries, loadTimeout, batching, tensorByteLimit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withTensorByteLimit(TensorByteLimit limit) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads,
                unloadThreads, loadRetries, loadTimeout, batching, limit, modelBasePathAllowlist);
    }

    public ServerCoreOptions withModelBasePathAllowlist(ModelBasePathAllowlist allowlist) {
        return new ServerCoreOptions(fileSystemPollWait, tensorflow, allowVersionLabelsForUnavailableModels, loadThreads,
                unloadThreads, loadRetries, loadTimeout, batching, tensorByteLimit, allowlist);
    }
}
