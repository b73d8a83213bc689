package dev.servedeck.console.testing;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.WarmupTarget;
import dev.servedeck.console.kit.ListenerList;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A console backend in memory, for ViewModel tests without a server or a toolkit. It records every call
 * (as text, in {@link #calls}), answers from fields a test sets, and fails the next operation when told to.
 * Futures complete at once on the caller's thread.
 */
public class FakeBackend implements ConsoleBackend {

    public final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile ServerStatus.State state = ServerStatus.State.STOPPED;
    public volatile List<ModelEntry> models = List.of();
    public volatile BatchingOptions batching = BatchingOptions.defaults();
    public volatile boolean batchingEnabled = true;
    public volatile List<SignatureInfo> signatures = List.of();
    public volatile Function<RestCall, RestReply> rest = call -> new RestReply(200, "{}", java.time.Duration.ofMillis(1));
    public volatile Optional<StatisticsSnapshot> statistics = Optional.empty();
    /** Where {@link #startLoad} sends: a fresh in-memory target per run unless a test sets one. */
    public volatile Function<LoadSpec, LoadTarget> loadTarget = spec -> ScriptedLoadTarget.allOk();
    public final List<LoadSpec> loadSpecs = new CopyOnWriteArrayList<>();
    public volatile List<RequestLogEntry> requests = List.of();
    public volatile String configText = "model_config_list {\n}\n";
    /** Whether the version folders of {@link #warmupTarget} already hold a warmup file. */
    public volatile boolean warmupFileExists;
    /** How many recent requests {@link #saveRecentRequestsAsWarmup} says it wrote. */
    public volatile int recentRequests = 3;
    private volatile RuntimeException nextFailure;
    private volatile ServerSettings settings;
    private final ListenerList<ServerEvent> eventListeners = new ListenerList<>();
    private final ListenerList<Void> modelListeners = new ListenerList<>();
    private final ListenerList<RequestLogEntry> requestListeners = new ListenerList<>();
    private final List<ServerEvent> events = new CopyOnWriteArrayList<>();

    /** The next operation fails with this message (as a server error would). */
    public void failNext(String message) {
        nextFailure = new IllegalArgumentException(message);
    }

    public void emit(ServerEvent event) {
        events.add(event);
        eventListeners.fire(event);
    }

    public void emitRequest(RequestLogEntry entry) {
        requestListeners.fire(entry);
    }

    public void fireModelsChanged() {
        modelListeners.fire(null);
    }

    private <T> CompletableFuture<T> operation(String call, java.util.function.Supplier<T> effect) {
        calls.add(call);
        RuntimeException failure = nextFailure;
        if (failure != null) {
            nextFailure = null;
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(effect.get());
    }

    @Override
    public CompletableFuture<ServerStatus> start(ServerSettings newSettings) {
        return operation("start " + newSettings.host() + " " + newSettings.restPort() + " " + newSettings.grpcPort()
                + " batching=" + newSettings.batching() + " " + newSettings.models(), () -> {
                    settings = newSettings;
                    state = ServerStatus.State.RUNNING;
                    emit(new ServerEvent(Instant.now(), ServerEvent.Severity.INFO, "server", "started"));
                    return status();
                });
    }

    @Override
    public CompletableFuture<Void> stop() {
        return operation("stop", () -> {
            state = ServerStatus.State.STOPPED;
            emit(new ServerEvent(Instant.now(), ServerEvent.Severity.INFO, "server", "stopped"));
            return null;
        });
    }

    @Override
    public Optional<ServerSettings> settings() {
        return Optional.ofNullable(settings);
    }

    @Override
    public ServerStatus status() {
        boolean running = state == ServerStatus.State.RUNNING;
        return new ServerStatus(state, running ? Optional.of(Instant.now().minusSeconds(75)) : Optional.empty(),
                running ? OptionalInt.of(8501) : OptionalInt.empty(), running ? OptionalInt.of(8500) : OptionalInt.empty(),
                models.size(), 1, 64L << 20, 512L << 20, "");
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        return eventListeners.add(listener);
    }

    @Override
    public List<ServerEvent> recentEvents() {
        return List.copyOf(events);
    }

    @Override
    public List<ModelEntry> models() {
        return models;
    }

    @Override
    public Subscription onModelsChanged(Runnable listener) {
        return modelListeners.add(ignored -> listener.run());
    }

    @Override
    public CompletableFuture<Void> addModel(String name, Path basePath, ServableVersionPolicy policy) {
        return operation("addModel " + name + " " + basePath + " " + policy, () -> null);
    }

    @Override
    public CompletableFuture<Void> removeModel(String name) {
        return operation("removeModel " + name, () -> null);
    }

    @Override
    public CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy) {
        return operation("setVersionPolicy " + model + " " + policy, () -> null);
    }

    @Override
    public CompletableFuture<Void> loadVersion(String model, long version) {
        return operation("loadVersion " + model + " " + version, () -> null);
    }

    @Override
    public CompletableFuture<Void> unloadVersion(String model, long version) {
        return operation("unloadVersion " + model + " " + version, () -> null);
    }

    @Override
    public CompletableFuture<Void> setLabel(String model, String label, long version) {
        return operation("setLabel " + model + " " + label + " " + version, () -> null);
    }

    @Override
    public CompletableFuture<Void> removeLabel(String model, String label) {
        return operation("removeLabel " + model + " " + label, () -> null);
    }

    @Override
    public CompletableFuture<Void> openModelConfig(Path file) {
        return operation("openModelConfig " + file, () -> null);
    }

    @Override
    public CompletableFuture<Void> saveModelConfig(Path file) {
        return operation("saveModelConfig " + file, () -> null);
    }

    @Override
    public String modelConfigText() {
        return configText;
    }

    @Override
    public CompletableFuture<WarmupTarget> warmupTarget(String model, long version) {
        return operation("warmupTarget " + model + " " + version, () -> new WarmupTarget(
                Path.of("/models", model, Long.toString(version), "assets.extra", "tf_serving_warmup_requests"),
                warmupFileExists));
    }

    @Override
    public CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file) {
        return operation("saveRecentRequestsAsWarmup " + model + " " + file, () -> recentRequests);
    }

    @Override
    public boolean batchingEnabled() {
        return batchingEnabled;
    }

    @Override
    public BatchingOptions batchingOptions() {
        return batching;
    }

    @Override
    public CompletableFuture<Void> applyBatching(BatchingOptions options) {
        return operation("applyBatching " + options, () -> {
            batching = options;
            return null;
        });
    }

    @Override
    public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
        return operation("readBatchingFile " + file, () -> batching);
    }

    @Override
    public CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file) {
        return operation("saveBatchingFile " + file, () -> null);
    }

    @Override
    public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
        return operation("signatures " + model + " " + version, () -> signatures);
    }

    @Override
    public CompletableFuture<RestReply> sendRest(RestCall call) {
        return operation("sendRest " + call.method() + " " + call.path(), () -> rest.apply(call));
    }

    @Override
    public CompletableFuture<LoadRun> startLoad(LoadSpec spec) {
        loadSpecs.add(spec);
        return operation("startLoad " + spec.api() + " " + spec.predictPath() + " " + spec.plan().describe(), () -> {
            try {
                return LoadRun.start(loadTarget.apply(spec), spec.plan());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public Optional<String> restBaseUrl() {
        return state == ServerStatus.State.RUNNING ? Optional.of("http://127.0.0.1:8501") : Optional.empty();
    }

    @Override
    public Optional<StatisticsSnapshot> statistics() {
        return statistics;
    }

    @Override
    public Subscription onRequestLogged(Consumer<RequestLogEntry> listener) {
        return requestListeners.add(listener);
    }

    @Override
    public List<RequestLogEntry> recentRequests(int max) {
        List<RequestLogEntry> all = new ArrayList<>(requests);
        return all.subList(Math.max(0, all.size() - max), all.size());
    }

    @Override
    public void close() {
        calls.add("close");
    }

    /** A model entry for tests. */
    public static ModelEntry model(String name, ServableVersionPolicy policy, Map<String, Long> labels,
            List<dev.servedeck.console.backend.VersionEntry> versions) {
        return ModelEntry.of(name, Path.of("/models", name), policy, labels, versions);
    }
}
