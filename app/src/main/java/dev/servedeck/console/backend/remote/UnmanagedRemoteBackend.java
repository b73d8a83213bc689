package dev.servedeck.console.backend.remote;

import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.backend.ConsoleBackend;
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
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.core.loadgen.LoadRun;
import java.util.function.Consumer;

/**
 * The backend of a console opened on a remote server ({@code --server}) before the admin API exists: it names
 * the server and says, on every page and in every refused operation, that remote management arrives with the
 * admin API. The console starts, shows the connection and never crashes; the pages show no data rather than
 * wrong data. The {@code RemoteBackend} over {@code servedeck.admin.v1} replaces this class, behind the same
 * {@link ConsoleBackend} port, with the same {@link #capabilities()} (no process control, no shared files).
 */
public final class UnmanagedRemoteBackend implements ConsoleBackend {

    private final String name;
    private final String address;
    private final String notice;
    private final ListenerList<ServerEvent> events = new ListenerList<>();
    private final ListenerList<Void> modelChanges = new ListenerList<>();
    private final ListenerList<RequestLogEntry> requests = new ListenerList<>();

    /**
     * @param name the connection's name
     * @param address its address ({@code https://edge-3:8501})
     */
    public UnmanagedRemoteBackend(String name, String address) {
        this.name = name;
        this.address = address;
        this.notice = "Connected to " + name + " (" + address + "). Remote management arrives in a coming version of the console"
                + " (servedeck.admin.v1): until then this console cannot read or change that server's models,"
                + " batching or statistics. The Connections page tests the connection.";
    }

    @Override
    public BackendCapabilities capabilities() {
        return new BackendCapabilities(name, false, false, Optional.of(notice));
    }

    /** The words of every refusal. */
    public String notice() {
        return notice;
    }

    private <T> CompletableFuture<T> refused() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "Not yet for a remote server: remote management arrives in a coming version of the console (" + address + ")"));
    }

    @Override
    public CompletableFuture<ServerStatus> start(ServerSettings settings) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> stop() {
        return refused();
    }

    @Override
    public Optional<ServerSettings> settings() {
        return Optional.empty();
    }

    @Override
    public ServerStatus status() {
        Runtime runtime = Runtime.getRuntime();
        // The console's own heap: the status bar shows what the console costs, as with the embedded server.
        return new ServerStatus(ServerStatus.State.STOPPED, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                0, 0, runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory(), notice);
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        return events.add(listener);
    }

    @Override
    public List<ServerEvent> recentEvents() {
        return List.of();
    }

    @Override
    public List<ModelEntry> models() {
        return List.of();
    }

    @Override
    public Subscription onModelsChanged(Runnable listener) {
        return modelChanges.add(ignored -> listener.run());
    }

    @Override
    public CompletableFuture<Void> addModel(String model, Path basePath, ServableVersionPolicy policy) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> removeModel(String model) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy) {
        return refused();
    }

    @Override
    public CompletableFuture<LoadRun> startLoad(LoadSpec spec) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> loadVersion(String model, long version) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> unloadVersion(String model, long version) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> setLabel(String model, String label, long version) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> removeLabel(String model, String label) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> openModelConfig(Path file) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> saveModelConfig(Path file) {
        return refused();
    }

    @Override
    public String modelConfigText() {
        return "";
    }

    @Override
    public CompletableFuture<WarmupTarget> warmupTarget(String model, long version) {
        return refused();
    }

    @Override
    public CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file) {
        return refused();
    }

    @Override
    public boolean batchingEnabled() {
        return false;
    }

    @Override
    public BatchingOptions batchingOptions() {
        return BatchingOptions.defaults();
    }

    @Override
    public CompletableFuture<Void> applyBatching(BatchingOptions options) {
        return refused();
    }

    @Override
    public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
        return refused();
    }

    @Override
    public CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file) {
        return refused();
    }

    @Override
    public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
        return refused();
    }

    @Override
    public CompletableFuture<RestReply> sendRest(RestCall call) {
        return refused();
    }

    @Override
    public Optional<String> restBaseUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<StatisticsSnapshot> statistics() {
        return Optional.empty();
    }

    @Override
    public Subscription onRequestLogged(Consumer<RequestLogEntry> listener) {
        return requests.add(listener);
    }

    @Override
    public List<RequestLogEntry> recentRequests(int max) {
        return List.of();
    }

    @Override
    public void close() {
        // nothing held: no connection is kept open before the admin API
    }
}
