package dev.servedeck.console.backend.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.NotPossibleOnThisServer;
import dev.servedeck.console.backend.PolicyText;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerEventLog;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.backend.WarmupTarget;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.SecretStore;
import dev.servedeck.console.kit.ListenerList;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.loadgen.body.RestSignatures;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.Signatures;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.proto.admin.v1.AddModelRequest;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc.AdminServiceStub;
import dev.servedeck.proto.admin.v1.ApplyBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.BatchingParameters;
import dev.servedeck.proto.admin.v1.EventUpdate;
import dev.servedeck.proto.admin.v1.GetBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.GetModelConfigRequest;
import dev.servedeck.proto.admin.v1.GetServerInfoRequest;
import dev.servedeck.proto.admin.v1.ListModelsRequest;
import dev.servedeck.proto.admin.v1.ListModelsResponse;
import dev.servedeck.proto.admin.v1.LoadVersionRequest;
import dev.servedeck.proto.admin.v1.ModelConfigText;
import dev.servedeck.proto.admin.v1.ModelResponse;
import dev.servedeck.proto.admin.v1.RemoveLabelRequest;
import dev.servedeck.proto.admin.v1.RemoveModelRequest;
import dev.servedeck.proto.admin.v1.ReplaceModelConfigRequest;
import dev.servedeck.proto.admin.v1.RequestLogUpdate;
import dev.servedeck.proto.admin.v1.ServerInfo;
import dev.servedeck.proto.admin.v1.SetLabelRequest;
import dev.servedeck.proto.admin.v1.SetVersionPolicyRequest;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import dev.servedeck.proto.admin.v1.StreamEventsRequest;
import dev.servedeck.proto.admin.v1.StreamStatisticsRequest;
import dev.servedeck.proto.admin.v1.TailRequestLogRequest;
import dev.servedeck.proto.admin.v1.UnloadVersionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ServeDeck server on another machine, managed over its admin API ({@code servedeck.admin.v1}) and its REST API,
 * behind the same port as the embedded server, so every page works on it.
 *
 * <p>Reads are snapshots of a local cache, never a network call: the admin API's streams feed it (statistics every
 * 0.5 s, server events resumed from the last sequence seen, the request log's tail), and ListModels with
 * GetModelConfig refresh the models after events and operations. Every call has a deadline. When the server goes
 * away (a stream ends, or nothing is heard for {@link #SILENCE_LIMIT}) the status turns UNREACHABLE at once,
 * operations fail fast with the reason, and the backend tries again with {@link Backoff} until the server answers;
 * the streams then resume where they left off.
 *
 * <p>{@link #start} connects (there is no process to start); {@link #stop} refuses, as the process is not the
 * console's. Files the operator picks are on the console's machine: a model config file is read here and its text
 * sent (ReplaceModelConfig), saving writes GetModelConfig's text here; batching files are read and written here.
 */
public final class RemoteBackend implements ConsoleBackend {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads: the server answers from memory. */
    static final Duration READ_DEADLINE = Duration.ofSeconds(10);
    /** Changes to models return once the versions they touched have loaded: a large model takes a while. */
    static final Duration CHANGE_DEADLINE = Duration.ofMinutes(5);
    /** Statistics come every 0.5 s: this long without any message means the link is gone, however it broke. */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(5);
    private static final Duration INFO_PERIOD = Duration.ofSeconds(5);
    private static final int MAX_EVENTS = 1_000;
    private static final int MAX_REQUESTS = 5_000;
    /** Request log entries asked for on (re)connecting: the tail the Logs page shows from the start. */
    private static final int RECENT_REQUESTS = 1_000;

    private final Connection connection;
    private final RemoteTransport transport;
    private final ScheduledExecutorService work;
    private final Backoff backoff = new Backoff(() -> ThreadLocalRandom.current().nextDouble());
    private final ListenerList<Void> modelListeners = new ListenerList<>();
    private final ListenerList<RequestLogEntry> requestListeners = new ListenerList<>();
    private final ServerEventLog events = new ServerEventLog(MAX_EVENTS);
    private final Deque<RequestLogEntry> requests = new ArrayDeque<>();
    private final AtomicBoolean modelsRefreshQueued = new AtomicBoolean();

    // The cache: written by the work thread and stream callbacks, read from any thread.
    private volatile ServerStatus.State state = ServerStatus.State.STOPPED;
    private volatile String message = "Not connected yet";
    private volatile ServerInfo info = ServerInfo.getDefaultInstance();
    private volatile List<ModelEntry> models = List.of();
    private volatile String configText = "";
    private volatile BatchingParameters batching = BatchingParameters.getDefaultInstance();
    private volatile BatchingOptions batchingOptions = BatchingOptions.defaults();
    private volatile StatisticsSnapshot statistics;
    private volatile long lastHeardNanos;

    // The link: touched on the work thread only.
    private long generation;
    private final List<ClientCallStreamObserver<?>> streams = new ArrayList<>();
    private final List<CompletableFuture<ServerStatus>> waitingForLink = new ArrayList<>();
    private boolean connecting;
    private boolean everLinked;
    private long watchTicks;
    private String lastLoggedWhy = "";
    // Where the streams resume: written by their callbacks, read when they reopen.
    private volatile long lastEventSequence;
    private volatile String lastEventInstance = "";
    private volatile Instant lastRequestTime = Instant.EPOCH;
    private volatile boolean closed;

    private RemoteBackend(Connection connection, RemoteTransport transport) {
        this.connection = connection;
        this.transport = transport;
        this.work = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "servedeck-remote-" + connection.id());
            // The console may exit while a reconnect waits: nothing here must keep the JVM up.
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A backend for {@code connection} with its token and client key as given; nothing is sent until
     * {@link #start}.
     *
     * @throws IllegalArgumentException when the connection's TLS files or key do not read (the words say which)
     */
    public static RemoteBackend connect(Connection connection, Optional<String> token, Optional<String> clientKeyPem) {
        if (connection.isEmbedded()) {
            throw new IllegalArgumentException("The embedded server is not a remote server");
        }
        return new RemoteBackend(connection, new RemoteTransport(connection, token, clientKeyPem));
    }

    /**
     * As {@link #connect(Connection, Optional, Optional)}, with the token and client key the secret store holds for
     * the connection. The store may block (an unlock prompt): call it off the FX thread.
     */
    public static RemoteBackend connect(Connection connection, SecretStore secrets) {
        return connect(connection, secrets.read(connection.tokenAccount()),
                connection.clientCert().isPresent() ? secrets.read(connection.clientKeyAccount()) : Optional.empty());
    }

    // ---- server ----

    @Override
    public BackendCapabilities capabilities() {
        return new BackendCapabilities(connection.name(), false, false, Optional.of("Managing " + connection.name()
                + " (" + connection.address() + ", admin API on " + transport.adminAddress() + "): its process is"
                + " started and stopped on its own machine, and base paths are folders there."));
    }

    /** Connects to the server (there is no process to start); completes with the first attempt's outcome. */
    @Override
    public CompletableFuture<ServerStatus> start(ServerSettings ignored) {
        CompletableFuture<ServerStatus> linked = new CompletableFuture<>();
        onWork(() -> {
            if (state == ServerStatus.State.RUNNING) {
                linked.complete(status());
                return;
            }
            waitingForLink.add(linked);
            if (!connecting && state == ServerStatus.State.STOPPED) {
                connecting = true;
                state = ServerStatus.State.CONNECTING;
                message = "Connecting to " + transport.adminAddress();
                work.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
                attempt();
            }
        }, linked);
        return linked;
    }

    @Override
    public CompletableFuture<Void> stop() {
        return CompletableFuture.failedFuture(new IllegalStateException(connection.name()
                + " runs on its own machine: start and stop it there"));
    }

    @Override
    public Optional<ServerSettings> settings() {
        return Optional.empty();
    }

    @Override
    public ServerStatus status() {
        ServerStatus.State now = state;
        List<ModelEntry> known = models;
        ServerInfo server = info;
        boolean linked = now == ServerStatus.State.RUNNING;
        int available = (int) known.stream().flatMap(model -> model.versions().stream())
                .filter(version -> version.state() == ManagerState.AVAILABLE).count();
        return new ServerStatus(now, linked ? Optional.of(AdminMessages.instant(server.getStartedAt())) : Optional.empty(),
                OptionalInt.of(connection.address().getPort()), OptionalInt.of(connection.adminPort()),
                known.size(), available, server.getHost().getHeapUsedBytes(), server.getHost().getHeapMaxBytes(),
                linked ? "" : message,
                // The server process's own CPU and memory, as the Fleet page shows them (as of the last server info).
                server.hasHost() ? server.getHost().getProcessCpuCores() : Double.NaN,
                server.getHost().getProcessResidentBytes());
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        return events.subscribe(listener);
    }

    @Override
    public List<ServerEvent> recentEvents() {
        return events.recent();
    }

    // ---- models ----

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
        return this.<ModelResponse>change("Added model " + name, (stub, answer) -> stub.addModel(AddModelRequest.newBuilder().setName(name)
                // The path as typed: a folder on the server's machine, written with its separators.
                .setBasePath(basePath.toString()).setPolicy(AdminMessages.policy(policy)).build(), answer));
    }

    @Override
    public CompletableFuture<Void> removeModel(String name) {
        return this.<dev.servedeck.proto.admin.v1.RemoveModelResponse>change("Removed model " + name, (stub, answer) -> stub.removeModel(
                RemoveModelRequest.newBuilder().setName(name).build(), answer));
    }

    @Override
    public CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy) {
        return this.<ModelResponse>change("Version policy of " + model + " set to " + PolicyText.of(policy), (stub, answer) -> stub.setVersionPolicy(
                SetVersionPolicyRequest.newBuilder().setModel(model).setPolicy(AdminMessages.policy(policy)).build(),
                answer));
    }

    @Override
    public CompletableFuture<Void> loadVersion(String model, long version) {
        return this.<ModelResponse>change("Loading " + model + " version " + version, (stub, answer) -> stub.loadVersion(
                LoadVersionRequest.newBuilder().setModel(model).setVersion(version).build(), answer));
    }

    @Override
    public CompletableFuture<Void> unloadVersion(String model, long version) {
        return this.<ModelResponse>change("Unloading " + model + " version " + version, (stub, answer) -> stub.unloadVersion(
                UnloadVersionRequest.newBuilder().setModel(model).setVersion(version).build(), answer));
    }

    @Override
    public CompletableFuture<Void> setLabel(String model, String label, long version) {
        return this.<ModelResponse>change("Label " + label + " of " + model + " now points at version " + version, (stub, answer) ->
                stub.setLabel(SetLabelRequest.newBuilder().setModel(model).setLabel(label).setVersion(version).build(),
                        answer));
    }

    @Override
    public CompletableFuture<Void> removeLabel(String model, String label) {
        return this.<ModelResponse>change("Removed label " + label + " of " + model, (stub, answer) -> stub.removeLabel(
                RemoveLabelRequest.newBuilder().setModel(model).setLabel(label).build(), answer));
    }

    /** Reads the file here and sends its text: the server never sees the console's files. */
    @Override
    public CompletableFuture<Void> openModelConfig(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e));
        }
        return this.<ModelConfigText>change("Opened model config " + file, (stub, answer) -> stub.replaceModelConfig(
                ReplaceModelConfigRequest.newBuilder().setConfigText(text).build(), answer));
    }

    /** Writes the server's config in force to a file here. */
    @Override
    public CompletableFuture<Void> saveModelConfig(Path file) {
        return this.<ModelConfigText>call(READ_DEADLINE, (stub, answer) -> stub.getModelConfig(
                GetModelConfigRequest.getDefaultInstance(), answer)).thenAccept(config -> {
                    configText = config.getConfigText();
                    try {
                        Files.writeString(file, config.getConfigText(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
                    }
                    publish(ServerEvent.Severity.INFO, "server", "Saved the model config of " + connection.name()
                            + " to " + file);
                });
    }

    @Override
    public String modelConfigText() {
        return configText;
    }

    // ---- warmup ----

    @Override
    public CompletableFuture<WarmupTarget> warmupTarget(String model, long version) {
        return CompletableFuture.failedFuture(new NotPossibleOnThisServer(
                BackendCapabilities.NO_WARMUP_WITHOUT_SHARED_FILES));
    }

    @Override
    public CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file) {
        return CompletableFuture.failedFuture(new NotPossibleOnThisServer(
                BackendCapabilities.NO_WARMUP_WITHOUT_SHARED_FILES));
    }

    // ---- batching ----

    @Override
    public boolean batchingEnabled() {
        return batching.getEnabled();
    }

    @Override
    public BatchingOptions batchingOptions() {
        return batchingOptions;
    }

    @Override
    public CompletableFuture<Void> applyBatching(BatchingOptions options) {
        CompletableFuture<BatchingParameters> applied = call(READ_DEADLINE, (stub, answer) ->
                stub.applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                        .setParametersText(BatchingParametersFile.print(options)).build(), answer));
        return applied.<Void>thenApply(parameters -> {
            takeBatching(parameters);
            return null;
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                publish(ServerEvent.Severity.ERROR, "server", "Batching parameters refused: "
                        + Failures.message(failure));
            }
        });
    }

    /** A file on the console's machine: parsed here, nothing is sent. */
    @Override
    public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
        return CompletableFuture.supplyAsync(() -> BatchingParametersFile.read(file), work);
    }

    @Override
    public CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file) {
        return CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(file, BatchingParametersFile.print(options), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
            }
        }, work);
    }

    // ---- predict ----

    /** From the REST API's metadata, as any client reads them. */
    @Override
    public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
        String path = "/v1/models/" + model + version.restPath() + "/metadata";
        return sendRest(RestCall.get(path)).thenApply(reply -> {
            if (!reply.ok()) {
                throw new IllegalStateException(restError(reply));
            }
            try {
                return Signatures.describe(RestSignatures.parse(reply.body(), "GET " + path));
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    @Override
    public CompletableFuture<RestReply> sendRest(RestCall call) {
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalStateException(unavailable.get()));
        }
        HttpRequest.Builder request = transport.rest(call.path(), Duration.ofSeconds(60));
        return call.send(transport.http(), request);
    }

    @Override
    public Optional<String> restBaseUrl() {
        return Optional.of(transport.restBase());
    }

    @Override
    public CompletableFuture<LoadRun> startLoad(LoadSpec spec) {
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalStateException(unavailable.get()));
        }
        // Connecting blocks until every connection is open: on a thread of its own, as the embedded backend does.
        CompletableFuture<LoadRun> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                LoadTarget target = !spec.api().overGrpc() ? transport.loadTargets().rest(spec)
                        : transport.loadTargets().grpc(spec, signatures(spec.model(), spec.version()).join());
                started.complete(LoadRun.start(target, spec.plan()));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        }, "console-load-start");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    // ---- monitor and logs ----

    @Override
    public Optional<StatisticsSnapshot> statistics() {
        return state == ServerStatus.State.RUNNING ? Optional.ofNullable(statistics) : Optional.empty();
    }

    @Override
    public Subscription onRequestLogged(Consumer<RequestLogEntry> listener) {
        return requestListeners.add(listener);
    }

    @Override
    public List<RequestLogEntry> recentRequests(int max) {
        synchronized (requests) {
            List<RequestLogEntry> all = List.copyOf(requests);
            return all.subList(Math.max(0, all.size() - max), all.size());
        }
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        try {
            work.execute(() -> {
                generation++;
                cancelStreams();
                cancelled.complete(null);
            });
            cancelled.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Closing the streams of {} did not finish", connection.name(), e);
        }
        work.shutdownNow();
        transport.close();
    }

    // ---- the link ----

    /** One try: server info, then the models, batching and config, then the streams. On the work thread. */
    private void attempt() {
        if (closed) {
            return;
        }
        long tried = ++generation;
        cancelStreams();
        CompletableFuture<ServerInfo> server = call(READ_DEADLINE, true, (stub, answer) ->
                stub.getServerInfo(GetServerInfoRequest.getDefaultInstance(), answer));
        server.thenCompose(answered -> {
            info = answered;
            return CompletableFuture.allOf(refreshModels(true), refreshBatching(true));
        }).whenCompleteAsync((done, failure) -> {
            if (tried != generation) {
                return;
            }
            if (failure == null) {
                linked(tried);
            } else {
                unlinked(failure);
            }
        }, work);
    }

    private void linked(long tried) {
        boolean again = everLinked;
        everLinked = true;
        backoff.reset();
        lastLoggedWhy = "";
        lastHeardNanos = System.nanoTime();
        state = ServerStatus.State.RUNNING;
        message = "";
        if (!again) {
            // The server's events begin after its first config: what it loaded then is told as it stands now.
            models.stream().flatMap(model -> model.versions().stream()
                            .map(version -> AdminMessages.versionEvent(model.name(), version)))
                    .sorted(java.util.Comparator.comparing(ServerEvent::time))
                    .forEach(this::append);
        }
        openStreams(tried);
        publish(ServerEvent.Severity.INFO, "server", (again ? "Connected again to " : "Connected to ")
                + connection.name() + " (ServeDeck " + info.getServedeckVersion() + ", TensorFlow "
                + info.getTensorflowVersion() + ")");
        modelListeners.fire(null);
        waitingForLink.forEach(waiting -> waiting.complete(status()));
        waitingForLink.clear();
    }

    /** The try failed, or a live link broke: say why and try again later. On the work thread. */
    private void unlinked(Throwable failure) {
        generation++;
        cancelStreams();
        Duration wait = backoff.next();
        Status status = Status.fromThrowable(failure);
        boolean refused = status.getCode() == Status.Code.UNAUTHENTICATED
                || status.getCode() == Status.Code.PERMISSION_DENIED;
        boolean wasLinked = state == ServerStatus.State.RUNNING;
        String why = refused
                ? connection.name() + " refused the console's token (" + status.getCode() + ": "
                        + status.getDescription() + "): check the token given with --token-file or on the"
                        + " Connections page"
                : unreachable(Failures.message(failure));
        state = refused ? ServerStatus.State.FAILED : ServerStatus.State.UNREACHABLE;
        message = why + String.format("; trying again in %.1f s", wait.toMillis() / 1000.0);
        if (wasLinked || !waitingForLink.isEmpty()) {
            publish(refused ? ServerEvent.Severity.ERROR : ServerEvent.Severity.WARNING, "server", why);
        }
        // Said once per reason: a server away for an hour must not fill the log with one line per try.
        if (!why.equals(lastLoggedWhy)) {
            LOG.info("{}; trying again in {} ms", why, wait.toMillis());
            lastLoggedWhy = why;
        } else {
            LOG.debug("{}; trying again in {} ms", why, wait.toMillis());
        }
        modelListeners.fire(null);
        waitingForLink.forEach(waiting -> waiting.completeExceptionally(new IllegalStateException(why)));
        waitingForLink.clear();
        if (!closed) {
            work.schedule(this::attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Every second on the work thread: a silent link is a lost one; server info now and then (heap, uptime). */
    private void watch() {
        try {
            if (state != ServerStatus.State.RUNNING) {
                return;
            }
            if (System.nanoTime() - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
                unlinked(new IllegalStateException("Cannot reach " + connection.name() + " ("
                        + transport.adminAddress() + "): nothing heard for " + SILENCE_LIMIT.toSeconds() + " s"));
                return;
            }
            if (++watchTicks % INFO_PERIOD.toSeconds() != 0) {
                return;
            }
            long current = generation;
            this.<ServerInfo>call(READ_DEADLINE, (stub, answer) -> stub.getServerInfo(
                    GetServerInfoRequest.getDefaultInstance(), answer)).whenCompleteAsync((answered, failure) -> {
                        if (failure == null) {
                            info = answered;
                        } else if (current == generation && state == ServerStatus.State.RUNNING) {
                            unlinked(failure);
                        }
                    }, work);
        } catch (RuntimeException e) {
            // A failed check must not end the schedule that runs it.
            LOG.warn("Watching the link to {} failed", connection.name(), e);
        }
    }

    private void openStreams(long opened) {
        AdminServiceStub admin = transport.admin();
        admin.streamStatistics(StreamStatisticsRequest.getDefaultInstance(),
                stream(opened, (StatisticsUpdate update) -> statistics = AdminMessages.snapshot(update)));
        admin.streamEvents(StreamEventsRequest.newBuilder().setAfterSequence(lastEventSequence)
                .setInstanceId(lastEventInstance).build(), stream(opened, this::onEventUpdate));
        Instant seen = lastRequestTime;
        admin.tailRequestLog(TailRequestLogRequest.newBuilder().setRecent(RECENT_REQUESTS).build(),
                stream(opened, (RequestLogUpdate update) -> onRequestLogUpdate(update, seen)));
    }

    /** A stream's observer: every message proves the link alive; its end (any end) is the link's. */
    private <T> ClientResponseObserver<Object, T> stream(long opened, Consumer<T> onMessage) {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Object> call) {
                onWork(() -> {
                    if (opened == generation) {
                        streams.add(call);
                    } else {
                        call.cancel("replaced", null);
                    }
                }, null);
            }

            @Override
            public void onNext(T message) {
                lastHeardNanos = System.nanoTime();
                onMessage.accept(message);
            }

            @Override
            public void onError(Throwable failure) {
                ended(opened, failure);
            }

            @Override
            public void onCompleted() {
                ended(opened, new IllegalStateException("the server ended the stream (shutting down?)"));
            }
        };
    }

    private void ended(long opened, Throwable failure) {
        onWork(() -> {
            if (opened == generation && state == ServerStatus.State.RUNNING) {
                unlinked(failure);
            }
        }, null);
    }

    private void cancelStreams() {
        streams.forEach(call -> call.cancel("The console closed or reconnects", null));
        streams.clear();
    }

    private void onEventUpdate(EventUpdate update) {
        switch (update.getUpdateCase()) {
            case EVENT -> {
                dev.servedeck.proto.admin.v1.ServerEvent event = update.getEvent();
                lastEventSequence = event.getSequence();
                lastEventInstance = event.getInstanceId();
                append(AdminMessages.event(event));
                switch (event.getKind()) {
                    case BATCHING_CHANGED -> refreshBatching(false);
                    case VERSION_STATE, CONFIG_APPLIED -> refreshModelsSoon();
                    default -> { }
                }
            }
            case DROPPED -> publish(ServerEvent.Severity.WARNING, "server", update.getDropped().getCount()
                    + " server event(s) were lost while the console was away or behind");
            default -> { }
        }
    }

    private void onRequestLogUpdate(RequestLogUpdate update, Instant seenBefore) {
        if (!update.hasEntry()) {
            return;
        }
        RequestLogEntry entry = AdminMessages.requestLogEntry(update.getEntry());
        // A resumed tail starts with recent entries, some of which this console has already.
        if (!entry.time().isAfter(seenBefore)) {
            return;
        }
        lastRequestTime = entry.time();
        synchronized (requests) {
            requests.addLast(entry);
            while (requests.size() > MAX_REQUESTS) {
                requests.removeFirst();
            }
        }
        requestListeners.fire(entry);
    }

    // ---- the cache ----

    /** Many events come in a burst (a model loading): one ListModels for the burst. */
    private void refreshModelsSoon() {
        if (modelsRefreshQueued.compareAndSet(false, true)) {
            try {
                work.schedule(() -> {
                    modelsRefreshQueued.set(false);
                    refreshModels(false);
                }, 100, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                modelsRefreshQueued.set(false);
            }
        }
    }

    private CompletableFuture<Void> refreshModels(boolean connecting) {
        CompletableFuture<ListModelsResponse> listed = call(READ_DEADLINE, connecting, (stub, answer) ->
                stub.listModels(ListModelsRequest.getDefaultInstance(), answer));
        CompletableFuture<ModelConfigText> config = call(READ_DEADLINE, connecting, (stub, answer) ->
                stub.getModelConfig(GetModelConfigRequest.getDefaultInstance(), answer));
        return listed.thenCombine(config, (list, text) -> {
            models = list.getModelsList().stream().map(AdminMessages::model).toList();
            configText = text.getConfigText();
            if (!connecting) {
                modelListeners.fire(null);
            }
            return (Void) null;
        });
    }

    private CompletableFuture<Void> refreshBatching(boolean connecting) {
        return this.<BatchingParameters>call(READ_DEADLINE, connecting, (stub, answer) ->
                stub.getBatchingParameters(GetBatchingParametersRequest.getDefaultInstance(), answer))
                .thenAccept(this::takeBatching);
    }

    private void takeBatching(BatchingParameters parameters) {
        batchingOptions = parameters.getEnabled()
                ? BatchingParametersFile.parse(parameters.getParametersText(), connection.name())
                : BatchingOptions.defaults();
        batching = parameters;
    }

    private void append(ServerEvent event) {
        events.add(event);
    }

    private void publish(ServerEvent.Severity severity, String source, String text) {
        append(new ServerEvent(Instant.now(), severity, source, text));
    }

    // ---- calls ----

    /**
     * A change to models: the call, then the models and config as they are after it, then the listeners. A refused
     * change reads them again too: a refusal may follow a partial change (a config opened without a label that
     * cannot serve), and the pages must show what the server serves.
     */
    private <T> CompletableFuture<Void> change(String description, BiConsumer<AdminServiceStub, StreamObserver<T>> invoke) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        call(CHANGE_DEADLINE, invoke).whenComplete((answer, refusal) -> refreshModels(false)
                .whenComplete((refreshed, unread) -> {
                    Throwable failure = refusal != null ? refusal : unread;
                    // Worded as the embedded backend words them: the Logs page reads alike for both.
                    if (failure == null) {
                        publish(ServerEvent.Severity.INFO, "server", description);
                        outcome.complete(null);
                    } else {
                        publish(ServerEvent.Severity.ERROR, "server", description + " failed: "
                                + Failures.message(failure));
                        outcome.completeExceptionally(failure);
                    }
                }));
        return outcome;
    }

    private <T> CompletableFuture<T> call(Duration deadline, BiConsumer<AdminServiceStub, StreamObserver<T>> invoke) {
        return call(deadline, false, invoke);
    }

    /**
     * One unary call with a deadline; fails at once while the server is unreachable (unless this is the try that
     * connects). Failures carry the server's words (TF Serving's messages), never a stack trace.
     */
    private <T> CompletableFuture<T> call(Duration deadline, boolean connecting,
            BiConsumer<AdminServiceStub, StreamObserver<T>> invoke) {
        if (!connecting) {
            Optional<String> unavailable = unavailable();
            if (unavailable.isPresent()) {
                return CompletableFuture.failedFuture(new IllegalStateException(unavailable.get()));
            }
        }
        CompletableFuture<T> answered = new CompletableFuture<>();
        invoke.accept(transport.admin().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
                new StreamObserver<>() {
                    @Override
                    public void onNext(T value) {
                        answered.complete(value);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        answered.completeExceptionally(readable(failure));
                    }

                    @Override
                    public void onCompleted() {
                        answered.completeExceptionally(new IllegalStateException("The server sent no answer"));
                    }
                });
        return answered;
    }

    /** The server's words, with the status kept as the cause (a refused token must stay recognisable). */
    private Throwable readable(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException error)) {
            return failure;
        }
        Status status = error.getStatus();
        String words = switch (status.getCode()) {
            case UNAVAILABLE -> unreachable(status.getDescription() == null ? "unavailable"
                    : status.getDescription());
            case DEADLINE_EXCEEDED -> connection.name() + " did not answer in time";
            default -> status.getDescription() == null || status.getDescription().isBlank()
                    ? status.getCode().name() : status.getDescription();
        };
        return new RemoteCallException(words, error);
    }

    private String unreachable(String cause) {
        String prefix = "Cannot reach " + connection.name() + " (" + transport.adminAddress() + ")";
        return cause.startsWith(prefix) ? cause : prefix + ": " + cause;
    }

    /** Why operations cannot go to the server now; empty while it is linked. */
    private Optional<String> unavailable() {
        return switch (state) {
            case RUNNING -> Optional.empty();
            case STOPPED -> Optional.of("Not connected to " + connection.name() + " yet");
            case CONNECTING -> Optional.of("Still connecting to " + connection.name());
            default -> Optional.of(message);
        };
    }

    private static String restError(RestReply reply) {
        try {
            JsonNode error = JSON.readTree(reply.body()).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException notJson) {
            // said below as it came
        }
        return "HTTP " + reply.statusCode() + (reply.body().isBlank() ? "" : ": " + reply.body().strip());
    }

    /** Runs {@code task} on the work thread; a closed backend fails {@code failing} (when given) instead. */
    private void onWork(Runnable task, CompletableFuture<?> failing) {
        try {
            work.execute(task);
        } catch (RejectedExecutionException closing) {
            if (failing != null) {
                failing.completeExceptionally(new IllegalStateException("The connection to " + connection.name()
                        + " is closed"));
            }
        }
    }

    /** A refused or failed admin call, in the server's words; the gRPC status stays the cause. */
    static final class RemoteCallException extends RuntimeException {
        RemoteCallException(String message, StatusRuntimeException cause) {
            super(message, cause);
        }
    }
}
