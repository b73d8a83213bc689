package dev.servedeck.console.backend;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Everything the console asks of a ServeDeck server. ViewModels talk only to this port; the embedded
 * implementation is the only console class that calls the serving core, and a remote implementation can
 * manage a server on another machine the same way.
 *
 * <p>Operations that take time return futures completed off the FX thread; their failures carry the
 * server's message. Reads ({@link #status()}, {@link #models()}, {@link #statistics()}) are cheap snapshots
 * safe to call from any thread. Listeners are called on server threads: ViewModels hop to the FX thread.
 */
public interface ConsoleBackend extends AutoCloseable {

    // ---- server ----

    /**
     * What this backend can do; the pages disable the rest. The embedded backend can do everything; a remote one
     * cannot start or stop the server's process nor read the console's files.
     */
    default BackendCapabilities capabilities() {
        return BackendCapabilities.EMBEDDED;
    }

    /** Starts the server (demo models, a config file or a base path); completes when it serves. */
    CompletableFuture<ServerStatus> start(ServerSettings settings);

    /** Stops the server: front ends drain in-flight requests, then every model unloads. */
    CompletableFuture<Void> stop();

    /** The settings of the running (or last started) server. */
    Optional<ServerSettings> settings();

    ServerStatus status();

    /** Server events (start/stop, model version state changes, failed operations), as they happen. */
    Subscription onEvent(Consumer<ServerEvent> listener);

    /** The most recent events, oldest first (bounded), so a log view opened late sees history. */
    List<ServerEvent> recentEvents();

    /**
     * Called when the server behind this backend becomes another one (the console switched servers, see
     * {@link ActiveBackend}): what a page kept of the previous server (chart history) no longer applies. A backend
     * bound to one server for its life never calls it.
     */
    default Subscription onServerChanged(Runnable listener) {
        return () -> { };
    }

    // ---- models ----

    /** Models of the config in force with their versions' states, sorted by name. */
    List<ModelEntry> models();

    /** Called whenever {@link #models()} may have changed (state change, config change, start/stop). */
    Subscription onModelsChanged(Runnable listener);

    CompletableFuture<Void> addModel(String name, Path basePath, ServableVersionPolicy policy);

    CompletableFuture<Void> removeModel(String name);

    CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy);

    /** Serves {@code version} in addition to the versions served now (the policy becomes specific). */
    CompletableFuture<Void> loadVersion(String model, long version);

    /** Stops serving {@code version}, keeping the others (the policy becomes specific). */
    CompletableFuture<Void> unloadVersion(String model, long version);

    /** Points {@code label} at {@code version} (which must be AVAILABLE, as in TF Serving). */
    CompletableFuture<Void> setLabel(String model, String label, long version);

    CompletableFuture<Void> removeLabel(String model, String label);

    /** Replaces the models with those of a TF Serving model config file. */
    CompletableFuture<Void> openModelConfig(Path file);

    /** Writes the models in force as a TF Serving model config file (text format). */
    CompletableFuture<Void> saveModelConfig(Path file);

    /** The models in force in TF Serving's model config text format. */
    String modelConfigText();

    // ---- warmup ----

    /** The warmup file of a model version (its version folder must exist), and whether it exists. */
    CompletableFuture<WarmupTarget> warmupTarget(String model, long version);

    /**
     * Writes the model's recent successful Predict, Classify and Regress requests (the server keeps the latest
     * ones of each model while the console runs it) as a TF Serving warmup file, replacing {@code file}.
     * Completes with how many were written; fails when none were recorded.
     */
    CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file);

    // ---- batching ----

    /** Whether the server batches Predict requests (decided at start). */
    boolean batchingEnabled();

    /** The batching parameters in force. */
    BatchingOptions batchingOptions();

    /** Changes the batching parameters live: the next batch uses them, no model reloads. */
    CompletableFuture<Void> applyBatching(BatchingOptions options);

    /** Parses a {@code --batching_parameters_file} (nothing is applied). */
    CompletableFuture<BatchingOptions> readBatchingFile(Path file);

    /** Writes {@code options} as a {@code --batching_parameters_file}. */
    CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file);

    // ---- predict ----

    /** The signatures of a model version (a version or label may be given, else the latest). */
    CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version);

    /** Sends an HTTP request to the server's REST API, exactly as an outside client would. */
    CompletableFuture<RestReply> sendRest(RestCall call);

    /** Where the REST API listens, e.g. {@code http://127.0.0.1:8501}; empty when not serving REST. */
    Optional<String> restBaseUrl();

    /**
     * Starts the load engine (server-core's core.loadgen) on the server's REST or gRPC API, as an outside client
     * would load it; completes once its connections are open. The caller owns the run: it takes snapshots at
     * its refresh rate and stops it.
     */
    CompletableFuture<LoadRun> startLoad(LoadSpec spec);

    // ---- monitor and logs ----

    /** The latest live statistics (rolling windows); empty while the server is stopped. */
    Optional<StatisticsSnapshot> statistics();

    /** Sampled request log entries as they are written (the console samples every request by default). */
    Subscription onRequestLogged(Consumer<RequestLogEntry> listener);

    /** The last logged requests, oldest first. */
    List<RequestLogEntry> recentRequests(int max);

    /** Stops the server if running and releases everything. */
    @Override
    void close();
}
