package dev.servedeck.console.backend;

import dev.servedeck.console.kit.ListenerList;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The backend the pages hold: it passes every call to the server the console manages now, and {@link #switchTo}
 * makes that another server without any page re-wiring itself. The pages' listeners stay registered here; this class
 * holds one forwarding subscription per kind of news on the current backend and moves them on a switch, then tells
 * the pages as they already listen: {@link #onServerChanged} (drop per-server history), a server event naming the new
 * server (the Logs page shows it, the Server page and the status bar refresh on it) and a models change (the Models
 * page, the choosers and the Monitor's scopes re-read). Capabilities are read through on every call, so a page that
 * re-reads them on refresh follows the switch.
 *
 * <p>It owns nothing: closing it only drops its subscriptions; the backends it passed calls to belong to whoever
 * opened them. A call that began before a switch completes on the server it began on. Thread-safe.
 */
public final class ActiveBackend implements ConsoleBackend {

    private final Clock clock;
    private final ListenerList<ServerEvent> events = new ListenerList<>();
    private final ListenerList<Void> modelChanges = new ListenerList<>();
    private final ListenerList<RequestLogEntry> requests = new ListenerList<>();
    private final ListenerList<Void> serverChanges = new ListenerList<>();

    private volatile ConsoleBackend current;
    /** The forwarding subscriptions on {@link #current}; guarded by {@code this}. */
    private List<Subscription> forwarding = List.of();

    public ActiveBackend(ConsoleBackend first) {
        this(first, Clock.systemUTC());
    }

    public ActiveBackend(ConsoleBackend first, Clock clock) {
        this.clock = clock;
        this.current = Objects.requireNonNull(first, "first");
        forwardFrom(first);
    }

    /** The backend calls go to now. */
    public ConsoleBackend current() {
        return current;
    }

    /**
     * Makes {@code next} the server the pages talk to and tells them. Switching to the current backend does nothing.
     *
     * @param why the line the event log shows, e.g. "Now managing edge-3 (https://edge-3:8501)"
     */
    public void switchTo(ConsoleBackend next, String why) {
        Objects.requireNonNull(next, "next");
        synchronized (this) {
            if (next == current) {
                return;
            }
            forwarding.forEach(Subscription::close);
            current = next;
            forwardFrom(next);
        }
        // Outside the lock: listeners hop to the FX thread, and the FX thread may be calling in here meanwhile.
        serverChanges.fire(null);
        events.fire(new ServerEvent(clock.instant(), ServerEvent.Severity.INFO, "console", why));
        modelChanges.fire(null);
    }

    private void forwardFrom(ConsoleBackend backend) {
        forwarding = List.of(backend.onEvent(events::fire), backend.onModelsChanged(() -> modelChanges.fire(null)),
                backend.onRequestLogged(requests::fire), backend.onServerChanged(() -> serverChanges.fire(null)));
    }

    // ---- news: the pages' listeners stay here across switches ----

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        return events.add(listener);
    }

    @Override
    public Subscription onModelsChanged(Runnable listener) {
        return modelChanges.add(ignored -> listener.run());
    }

    @Override
    public Subscription onRequestLogged(Consumer<RequestLogEntry> listener) {
        return requests.add(listener);
    }

    @Override
    public Subscription onServerChanged(Runnable listener) {
        return serverChanges.add(ignored -> listener.run());
    }

    // ---- everything else: to the current server ----

    @Override
    public BackendCapabilities capabilities() {
        return current.capabilities();
    }

    @Override
    public CompletableFuture<ServerStatus> start(ServerSettings settings) {
        return current.start(settings);
    }

    @Override
    public CompletableFuture<Void> stop() {
        return current.stop();
    }

    @Override
    public Optional<ServerSettings> settings() {
        return current.settings();
    }

    @Override
    public ServerStatus status() {
        return current.status();
    }

    @Override
    public List<ServerEvent> recentEvents() {
        return current.recentEvents();
    }

    @Override
    public List<ModelEntry> models() {
        return current.models();
    }

    @Override
    public CompletableFuture<Void> addModel(String name, Path basePath, ServableVersionPolicy policy) {
        return current.addModel(name, basePath, policy);
    }

    @Override
    public CompletableFuture<Void> removeModel(String name) {
        return current.removeModel(name);
    }

    @Override
    public CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy) {
        return current.setVersionPolicy(model, policy);
    }

    @Override
    public CompletableFuture<Void> loadVersion(String model, long version) {
        return current.loadVersion(model, version);
    }

    @Override
    public CompletableFuture<Void> unloadVersion(String model, long version) {
        return current.unloadVersion(model, version);
    }

    @Override
    public CompletableFuture<Void> setLabel(String model, String label, long version) {
        return current.setLabel(model, label, version);
    }

    @Override
    public CompletableFuture<Void> removeLabel(String model, String label) {
        return current.removeLabel(model, label);
    }

    @Override
    public CompletableFuture<Void> openModelConfig(Path file) {
        return current.openModelConfig(file);
    }

    @Override
    public CompletableFuture<Void> saveModelConfig(Path file) {
        return current.saveModelConfig(file);
    }

    @Override
    public String modelConfigText() {
        return current.modelConfigText();
    }

    @Override
    public CompletableFuture<WarmupTarget> warmupTarget(String model, long version) {
        return current.warmupTarget(model, version);
    }

    @Override
    public CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file) {
        return current.saveRecentRequestsAsWarmup(model, file);
    }

    @Override
    public boolean batchingEnabled() {
        return current.batchingEnabled();
    }

    @Override
    public BatchingOptions batchingOptions() {
        return current.batchingOptions();
    }

    @Override
    public CompletableFuture<Void> applyBatching(BatchingOptions options) {
        return current.applyBatching(options);
    }

    @Override
    public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
        return current.readBatchingFile(file);
    }

    @Override
    public CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file) {
        return current.saveBatchingFile(options, file);
    }

    @Override
    public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
        return current.signatures(model, version);
    }

    @Override
    public CompletableFuture<RestReply> sendRest(RestCall call) {
        return current.sendRest(call);
    }

    @Override
    public Optional<String> restBaseUrl() {
        return current.restBaseUrl();
    }

    @Override
    public CompletableFuture<LoadRun> startLoad(LoadSpec spec) {
        return current.startLoad(spec);
    }

    @Override
    public Optional<StatisticsSnapshot> statistics() {
        return current.statistics();
    }

    @Override
    public List<RequestLogEntry> recentRequests(int max) {
        return current.recentRequests(max);
    }

    /** Drops the forwarding subscriptions; the backends belong to whoever opened them. */
    @Override
    public void close() {
        synchronized (this) {
            forwarding.forEach(Subscription::close);
            forwarding = List.of();
        }
    }
}
