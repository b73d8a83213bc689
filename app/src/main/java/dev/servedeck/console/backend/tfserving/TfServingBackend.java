package dev.servedeck.console.backend.tfserving;

import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.NotPossibleOnThisServer;
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
import dev.servedeck.console.backend.remote.Backoff;
import dev.servedeck.console.backend.remote.RemoteTransport;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.kit.ListenerList;
import dev.servedeck.core.admin.ModelConfigEdits;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.Signatures;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.proto.apis.GetModelMetadataRequest;
import dev.servedeck.proto.apis.GetModelMetadataResponse;
import dev.servedeck.proto.apis.GetModelStatusRequest;
import dev.servedeck.proto.apis.GetModelStatusResponse;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.apis.ReloadConfigRequest;
import dev.servedeck.proto.apis.ReloadConfigResponse;
import dev.servedeck.proto.apis.SignatureDefMap;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's backend for a plain tensorflow_model_server (no ServeDeck admin API): reduced mode over TF Serving's
 * own APIs only. Models and version states come from {@code ModelService.GetModelStatus}, asked for every model name
 * the console knows (TF Serving has no "list models" call: the connection's names, the Prometheus endpoint's, the
 * models the console configured itself); signatures from {@code PredictionService.GetModelMetadata}; Predict over the
 * REST API; load from the load engine; charts from the Prometheus endpoint; events from state changes between polls.
 *
 * <p>Changes: TF Serving cannot return its model config, and {@code HandleReloadConfigRequest} replaces the whole
 * of it. So every model change sends a whole {@code ModelServerConfig} the console built, and the console refuses to
 * build one until it knows the whole config: the operator opens the server's model config file (Open, Ctrl+O), which
 * is sent as it is, and the later changes edit that. A model the console cannot see would otherwise be unloaded
 * silently. When a poll finds a model served that the config sent does not name (someone else reloaded the server),
 * the config is known no longer and changes are refused again until it is opened again.
 *
 * <p>Polls: reads ({@link #status()}, {@link #models()}, {@link #statistics()}) are snapshots; a read finding the
 * last poll older than {@link #POLL_PERIOD} starts the next one, asynchronously. The console's pages read on its one
 * refresh clock (the Server page and status bar every second, the Monitor twice a second), so that clock drives the
 * polls and a backend nobody reads sends nothing.
 */
public final class TfServingBackend implements ConsoleBackend {

    private static final Logger LOG = LoggerFactory.getLogger(TfServingBackend.class);

    static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    static final Duration READ_DEADLINE = Duration.ofSeconds(10);
    /** ReloadConfig returns once the new models loaded: a large model takes a while. */
    static final Duration CHANGE_DEADLINE = Duration.ofMinutes(5);
    private static final int MAX_EVENTS = 1_000;
    /** Why the Batching page only shows. */
    static final String BATCHING_OFF = "TensorFlow Serving fixes its batching when it starts and does not report it:"
            + " the values below are TF Serving's defaults, not necessarily this server's. Change them in its"
            + " --batching_parameters_file and restart it.";
    /** Why model changes wait, on the Models page, until the whole config is known. */
    static final String MODEL_CHANGES_OFF = "TensorFlow Serving cannot return its model config, and ReloadConfig"
            + " replaces all of it: open the server's model config file (Open…, Ctrl+O) before changing models here;"
            + " the console sends it, then edits it for every change.";

    private final Connection connection;
    private final TfServingHints hints;
    private final RemoteTransport transport;
    private final Backoff backoff = new Backoff(() -> ThreadLocalRandom.current().nextDouble());
    private final Clock clock;
    private final ListenerList<Void> modelListeners = new ListenerList<>();
    private final ListenerList<RequestLogEntry> requestListeners = new ListenerList<>();
    private final ServerEventLog events = new ServerEventLog(MAX_EVENTS);
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile CompletableFuture<Void> runningPoll = CompletableFuture.completedFuture(null);

    private volatile boolean closed;
    /** When the next read may start a poll: a period after the last, or a backoff after a failed one. */
    private volatile long nextPollNanos = System.nanoTime();
    private volatile ServerStatus.State state = ServerStatus.State.STOPPED;
    private volatile String message = "Not connected yet";
    private volatile Instant connectedAt;
    private volatile List<ModelEntry> models = List.of();
    /** Names learnt from Prometheus (kept: a model without traffic since a restart stays listed). */
    private final Set<String> scrapedNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The last config this console sent, and whether it is the whole config in force. */
    private volatile ModelServerConfig sentConfig = ModelServerConfig.getDefaultInstance();
    private volatile boolean configKnown;
    private volatile PrometheusReading lastReading;
    private volatile StatisticsSnapshot statistics;
    private volatile String statisticsProblem = "";

    TfServingBackend(Connection connection, TfServingHints hints, RemoteTransport transport, Clock clock) {
        this.connection = connection;
        this.hints = hints;
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * A backend for {@code connection}, with the model names and Prometheus URL it gives; nothing is sent until
     * {@link #start}.
     *
     * @throws IllegalArgumentException when the connection's TLS files do not read (the words say which)
     */
    public static TfServingBackend connect(Connection connection, Optional<String> token,
            Optional<String> clientKeyPem) {
        return new TfServingBackend(connection, connection.tfServing(),
                new RemoteTransport(connection, token, clientKeyPem), Clock.systemUTC());
    }

    // ---- server ----

    @Override
    public BackendCapabilities capabilities() {
        return new BackendCapabilities(connection.name(), false, false, Optional.of(notice()),
                configKnown ? Optional.empty() : Optional.of(MODEL_CHANGES_OFF), Optional.of(BATCHING_OFF));
    }

    /** What reduced mode means, above every page. */
    String notice() {
        return "Plain TensorFlow Serving: reduced mode (" + connection.address().getHost() + ", gRPC port "
                + connection.adminPort() + "; no ServeDeck admin API). The console lists only the models it is told"
                + " of (the connection's model names, its Prometheus endpoint, models it configured); it changes models"
                + " by sending a whole model config with ReloadConfig, so open the server's model config file first"
                + " (TF Serving cannot return it); batching cannot change while TF Serving runs (read-only); no"
                + " request log; "
                + hints.prometheus().map(url -> "charts from " + url + " (per model, no rows/s or batching)")
                        .orElse("no charts (the connection gives no Prometheus endpoint)")
                + ".";
    }

    /**
     * Connects: a poll now; completes with its outcome (a server that does not answer is UNREACHABLE). Reads poll
     * without it too: whoever opened this backend need not start it.
     */
    @Override
    public CompletableFuture<ServerStatus> start(ServerSettings ignored) {
        return pollNow().handle((done, failure) -> status());
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
        pollIfDue();
        List<ModelEntry> known = models;
        int available = (int) known.stream().flatMap(model -> model.versions().stream())
                .filter(version -> version.state() == ManagerState.AVAILABLE).count();
        boolean running = state == ServerStatus.State.RUNNING;
        // TF Serving reports no heap, CPU or memory of its process: 0 and NaN, "unknown" on the pages.
        return new ServerStatus(state, running ? Optional.ofNullable(connectedAt) : Optional.empty(),
                OptionalInt.of(connection.address().getPort()), OptionalInt.of(connection.adminPort()), known.size(),
                available, 0, 0, running ? "" : message);
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
        pollIfDue();
        return models;
    }

    @Override
    public Subscription onModelsChanged(Runnable listener) {
        return modelListeners.add(ignored -> listener.run());
    }

    @Override
    public CompletableFuture<Void> addModel(String name, Path basePath, ServableVersionPolicy policy) {
        return change("Added model " + name, config -> ModelConfigEdits.addModel(config, name, basePath, policy));
    }

    @Override
    public CompletableFuture<Void> removeModel(String name) {
        return change("Removed model " + name, config -> ModelConfigEdits.removeModel(config, name));
    }

    @Override
    public CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy) {
        return change("Set the version policy of " + model, config -> ModelConfigEdits.setPolicy(config, model,
                policy));
    }

    @Override
    public CompletableFuture<Void> loadVersion(String model, long version) {
        return change("Serving version " + version + " of " + model, config -> {
            TreeSet<Long> served = served(model);
            served.add(version);
            return ModelConfigEdits.setPolicy(config, model, new ServableVersionPolicy.Specific(served));
        });
    }

    @Override
    public CompletableFuture<Void> unloadVersion(String model, long version) {
        return change("Stopped serving version " + version + " of " + model, config -> {
            TreeSet<Long> served = served(model);
            if (!served.remove(version) || served.isEmpty()) {
                throw new IllegalArgumentException("Version " + version + " of " + model + " is not served, or is"
                        + " the only one served: remove the model instead");
            }
            return ModelConfigEdits.setPolicy(config, model, new ServableVersionPolicy.Specific(served));
        });
    }

    @Override
    public CompletableFuture<Void> setLabel(String model, String label, long version) {
        return change("Label " + label + " of " + model + " → " + version,
                config -> ModelConfigEdits.setLabel(config, model, label, version));
    }

    @Override
    public CompletableFuture<Void> removeLabel(String model, String label) {
        return change("Removed label " + label + " of " + model,
                config -> ModelConfigEdits.removeLabel(config, model, label));
    }

    /**
     * Sends the file's config as it is: the operator's statement of the whole config, after which the console knows
     * every model and edits that config for later changes. The file is read on the console's machine.
     */
    @Override
    public CompletableFuture<Void> openModelConfig(Path file) {
        ModelServerConfig config;
        try {
            config = ModelServerConfigFile.read(file);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reload("Applied the model config " + file.getFileName(), config);
    }

    @Override
    public CompletableFuture<Void> saveModelConfig(Path file) {
        if (!configKnown) {
            return CompletableFuture.failedFuture(new IllegalStateException(unknownConfig()));
        }
        return CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(file, ModelServerConfigFile.format(sentConfig), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public String modelConfigText() {
        if (configKnown) {
            return ModelServerConfigFile.format(sentConfig);
        }
        return "# TensorFlow Serving cannot return its model config. Open the server's model config file (Ctrl+O):\n"
                + "# the console sends it with ReloadConfig and then edits it for every change.\n";
    }

    // ---- warmup ----

    @Override
    public CompletableFuture<WarmupTarget> warmupTarget(String model, long version) {
        return refused("Warmup files are written into a version folder on the server's machine: make them there");
    }

    @Override
    public CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file) {
        return refused("TensorFlow Serving keeps no recent requests for the console: no warmup file can be made"
                + " from them");
    }

    // ---- batching ----

    /** False: TF Serving's batching is fixed when it starts, so the Batching page only shows. */
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
        return refused("TensorFlow Serving cannot change batching while it runs: edit its"
                + " --batching_parameters_file and restart it");
    }

    @Override
    public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
        return refused("TensorFlow Serving cannot change batching while it runs");
    }

    @Override
    public CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file) {
        return refused("TensorFlow Serving does not say which batching parameters it uses");
    }

    // ---- predict ----

    /** From {@code PredictionService.GetModelMetadata}, as any TF Serving client reads them. */
    @Override
    public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
        GetModelMetadataRequest request = GetModelMetadataRequest.newBuilder()
                .setModelSpec(spec(model, version)).addMetadataField("signature_def").build();
        return this.<GetModelMetadataResponse>call(READ_DEADLINE, (stub, answer) -> stub.getModelMetadata(request,
                answer)).thenApply(response -> {
                    try {
                        return Signatures.describe(response.getMetadataOrThrow("signature_def")
                                .unpack(SignatureDefMap.class).getSignatureDefMap());
                    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                        throw new IllegalStateException("The server's metadata of " + model + " has no signatures: "
                                + e.getMessage(), e);
                    }
                });
    }

    @Override
    public CompletableFuture<RestReply> sendRest(RestCall call) {
        HttpRequest.Builder request = transport.rest(call.path(), Duration.ofSeconds(60));
        return call.send(transport.http(), request);
    }

    @Override
    public Optional<String> restBaseUrl() {
        return Optional.of(transport.restBase());
    }

    @Override
    public CompletableFuture<LoadRun> startLoad(LoadSpec spec) {
        // Opening the load's connections blocks: on a thread of its own, as the other backends do.
        CompletableFuture<LoadRun> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(LoadRun.start(loadTarget(spec), spec.plan()));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        }, "console-load-start");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    private LoadTarget loadTarget(LoadSpec spec) throws Exception {
        if (spec.api().openInference()) {
            throw new IllegalArgumentException("TensorFlow Serving does not speak the Open Inference Protocol: send"
                    + " load over its own REST or gRPC API");
        }
        return spec.api().overGrpc() ? transport.loadTargets().grpc(spec, signatures(spec.model(), spec.version())
                .get(READ_DEADLINE.toSeconds(), TimeUnit.SECONDS)) : transport.loadTargets().rest(spec);
    }

    // ---- monitor and logs ----

    /** Per model from the Prometheus endpoint, the time between the last two scrapes; empty without one. */
    @Override
    public Optional<StatisticsSnapshot> statistics() {
        pollIfDue();
        return state == ServerStatus.State.RUNNING ? Optional.ofNullable(statistics) : Optional.empty();
    }

    /** Why {@link #statistics()} is empty, or what went wrong reading the endpoint; empty when charts are drawn. */
    public String statisticsProblem() {
        return hints.prometheus().isEmpty() ? "No Prometheus endpoint was given for " + connection.name()
                : statisticsProblem;
    }

    @Override
    public Subscription onRequestLogged(Consumer<RequestLogEntry> listener) {
        return requestListeners.add(listener);
    }

    /** TF Serving sends its request log to files of its own, not to clients: none. */
    @Override
    public List<RequestLogEntry> recentRequests(int max) {
        return List.of();
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
    }

    // ---- polls ----

    private void pollIfDue() {
        if (!closed && System.nanoTime() - nextPollNanos >= 0) {
            pollNow();
        }
    }

    /** One poll (or the one running): every known name's status, then the Prometheus endpoint's. */
    CompletableFuture<Void> pollNow() {
        if (!polling.compareAndSet(false, true)) {
            return runningPoll;
        }
        CompletableFuture<Void> poll = new CompletableFuture<>();
        runningPoll = poll;
        startPoll().whenComplete((done, failure) -> poll.complete(null));
        return poll;
    }

    /** A poll that starts after now: after a change, the one running may have asked before the change. */
    private CompletableFuture<Void> pollAfterNow() {
        return runningPoll.thenCompose(ignored -> pollNow());
    }

    private CompletableFuture<Void> startPoll() {
        nextPollNanos = System.nanoTime() + POLL_PERIOD.toNanos();
        if (state == ServerStatus.State.STOPPED) {
            state = ServerStatus.State.CONNECTING;
            message = "Connecting to " + transport.adminAddress();
        }
        CompletableFuture<Void> scraped = scrape();
        Set<String> names = new TreeSet<>(hints.modelNames());
        names.addAll(scrapedNames);
        sentConfig.getModelConfigList().getConfigList().forEach(model -> names.add(model.getName()));
        models.forEach(model -> names.add(model.name()));
        Map<String, CompletableFuture<Optional<GetModelStatusResponse>>> asked = new TreeMap<>();
        for (String name : names) {
            asked.put(name, modelStatus(name));
        }
        if (names.isEmpty()) {
            // Nothing to ask about yet: one call all the same, so a gone server shows as unreachable.
            asked.put("", modelStatus(""));
        }
        return scraped.thenCompose(ignored -> CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new)))
                .handle((ignored, failure) -> {
                    try {
                        if (closed) {
                            return null; // the answers of a poll cut short by close() are no news
                        } else if (failure != null) {
                            unreachable(failure);
                        } else {
                            Map<String, GetModelStatusResponse> answers = new TreeMap<>();
                            asked.forEach((name, answer) -> answer.join().ifPresent(a -> answers.put(name, a)));
                            reached(answers);
                        }
                    } finally {
                        polling.set(false);
                    }
                    return null;
                });
    }

    /** The model's status; empty when the server does not serve it (NOT_FOUND). */
    private CompletableFuture<Optional<GetModelStatusResponse>> modelStatus(String name) {
        GetModelStatusRequest request = GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(name)).build();
        return this.<GetModelStatusResponse>callModels(READ_DEADLINE, (stub, answer) -> stub.getModelStatus(request,
                answer)).thenApply(Optional::of).exceptionallyCompose(failure -> {
                    // Not served (or no such name): the server answered, the model is just not there.
                    Status.Code code = Status.fromThrowable(failure).getCode();
                    return code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT
                            ? CompletableFuture.completedFuture(Optional.empty())
                            : CompletableFuture.failedFuture(failure);
                });
    }

    private CompletableFuture<Void> scrape() {
        if (hints.prometheus().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest request = metricsRequest(hints.prometheus().get()).GET().build();
        return transport.http().sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null || response.statusCode() != 200) {
                        // The charts go blank with the reason; the models are still polled.
                        statisticsProblem = "Cannot read " + hints.prometheus().get() + ": " + (failure != null
                                ? failure.getMessage() : "HTTP " + response.statusCode());
                        statistics = null;
                        return null;
                    }
                    PrometheusReading reading = PrometheusReading.of(clock.instant(), response.body());
                    scrapedNames.addAll(reading.modelNames());
                    PrometheusReading before = lastReading;
                    lastReading = reading;
                    statisticsProblem = before == null ? "Waiting for a second scrape" : "";
                    if (before != null) {
                        statistics = reading.since(before);
                    }
                    return null;
                });
    }

    /** The token goes only to the server's own REST port, never to a metrics URL elsewhere. */
    private HttpRequest.Builder metricsRequest(URI url) {
        URI rest = connection.address();
        boolean sameOrigin = url.getScheme().equals(rest.getScheme()) && url.getHost().equals(rest.getHost())
                && url.getPort() == rest.getPort();
        return sameOrigin ? transport.rest(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()),
                READ_DEADLINE) : HttpRequest.newBuilder(url).timeout(READ_DEADLINE);
    }

    private void reached(Map<String, GetModelStatusResponse> answers) {
        backoff.reset();
        if (state != ServerStatus.State.RUNNING) {
            connectedAt = clock.instant();
            publish(ServerEvent.Severity.INFO, "server", "Connected to " + connection.name()
                    + " (plain TensorFlow Serving, reduced mode)");
        }
        state = ServerStatus.State.RUNNING;
        message = "";
        List<ModelEntry> before = models;
        Map<String, ModelEntry> previous = new HashMap<>();
        before.forEach(model -> previous.put(model.name(), model));
        List<ModelEntry> now = new ArrayList<>();
        ModelServerConfig sent = sentConfig;
        boolean known = configKnown;
        answers.forEach((name, answer) -> {
            ModelEntry model = ModelStatusEntries.entry(name, answer, previous.get(name), sent, clock.instant());
            // TF Serving keeps answering for a model it unloaded (every version END): once the console knows the
            // config, such a model is one it removed, not one to list.
            if (!(known && !names(sent).contains(name) && ModelStatusEntries.ended(model))) {
                now.add(model);
            }
        });
        if (known) {
            List<String> unknown = now.stream().filter(model -> !ModelStatusEntries.ended(model)).map(ModelEntry::name)
                    .filter(name -> !names(sent).contains(name)).toList();
            if (!unknown.isEmpty()) {
                configKnown = false;
                publish(ServerEvent.Severity.WARNING, "server", "The server serves " + unknown + ", which the model"
                        + " config this console sent does not name (someone else reloaded it): open its model config"
                        + " file again before changing models");
            }
        }
        for (ModelEntry model : now) {
            describeChanges(previous.get(model.name()), model);
        }
        Set<String> listed = new TreeSet<>();
        now.forEach(model -> listed.add(model.name()));
        previous.keySet().stream().filter(name -> !listed.contains(name)).forEach(name ->
                publish(ServerEvent.Severity.INFO, name, "No longer served"));
        if (!now.equals(before)) {
            models = List.copyOf(now);
            modelListeners.fire(null);
        }
    }

    private void unreachable(Throwable failure) {
        // A gone server is asked again after a growing wait, not at every read.
        nextPollNanos = System.nanoTime() + backoff.next().toNanos();
        String why = "Cannot reach " + transport.adminAddress() + ": "
                + Status.fromThrowable(failure).getCode() + " " + Optional.ofNullable(
                        Status.fromThrowable(failure).getDescription()).orElse("");
        if (state != ServerStatus.State.UNREACHABLE) {
            LOG.info("{} is unreachable: {}", connection.name(), why);
            publish(ServerEvent.Severity.ERROR, "server", why);
        }
        state = ServerStatus.State.UNREACHABLE;
        message = why.strip();
    }

    private void describeChanges(ModelEntry before, ModelEntry now) {
        for (VersionEntry version : ModelStatusEntries.changedVersions(before, now)) {
            publish(version.failed() ? ServerEvent.Severity.ERROR : ServerEvent.Severity.INFO,
                    now.name() + ":" + version.version(), version.state()
                            + (version.failed() ? ": " + version.error() : ""));
        }
    }

    // ---- changes through ReloadConfig ----

    private CompletableFuture<Void> change(String done, UnaryOperator<ModelServerConfig> edit) {
        if (!configKnown) {
            return CompletableFuture.failedFuture(new IllegalStateException(unknownConfig()));
        }
        ModelServerConfig next;
        try {
            next = edit.apply(sentConfig);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reload(done, next);
    }

    private CompletableFuture<Void> reload(String done, ModelServerConfig config) {
        ReloadConfigRequest request = ReloadConfigRequest.newBuilder().setConfig(config).build();
        return this.<ReloadConfigResponse>callModels(CHANGE_DEADLINE,
                (stub, answer) -> stub.handleReloadConfigRequest(request, answer)).thenCompose(response -> {
                    if (response.getStatus().getErrorCodeValue() != 0) {
                        // tensorflow_model_server fails the call; a server that answers OK with an error status
                        // is taken at its word too.
                        throw new IllegalStateException(response.getStatus().getErrorMessage());
                    }
                    sentConfig = config;
                    configKnown = true;
                    publish(ServerEvent.Severity.INFO, "server", done + " (ReloadConfig with " + names(config).size()
                            + " models)");
                    return pollAfterNow();
                });
    }

    private String unknownConfig() {
        List<String> seen = models.stream().map(ModelEntry::name).toList();
        return "TensorFlow Serving cannot return its model config, and ReloadConfig replaces all of it: a model this"
                + " console does not know would be unloaded. Open the server's model config file first (Ctrl+O);"
                + " the console sends it and then edits it. Models seen now: " + (seen.isEmpty() ? "none" : seen)
                + ".";
    }

    private TreeSet<Long> served(String model) {
        TreeSet<Long> served = new TreeSet<>();
        models.stream().filter(entry -> entry.name().equals(model)).flatMap(entry -> entry.versions().stream())
                .filter(version -> version.state() == ManagerState.AVAILABLE
                        || version.state() == ManagerState.LOADING || version.state() == ManagerState.START)
                .forEach(version -> served.add(version.version()));
        return served;
    }

    private static Set<String> names(ModelServerConfig config) {
        Set<String> names = new LinkedHashSet<>();
        ModelConfigList list = config.getModelConfigList();
        list.getConfigList().forEach(model -> names.add(model.getName()));
        return names;
    }

    // ---- calls ----

    private static ModelSpec spec(String model, VersionChoice version) {
        ModelSpec.Builder spec = ModelSpec.newBuilder().setName(model);
        if (version instanceof VersionChoice.Number number) {
            spec.setVersion(Int64Value.of(number.version()));
        } else if (version instanceof VersionChoice.Label label) {
            spec.setVersionLabel(label.label());
        }
        return spec.build();
    }

    private <T> CompletableFuture<T> call(Duration deadline,
            BiConsumer<PredictionServiceGrpc.PredictionServiceStub, StreamObserver<T>> invoke) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        invoke.accept(transport.stub(PredictionServiceGrpc::newStub)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), observer(answer));
        return answer;
    }

    private <T> CompletableFuture<T> callModels(Duration deadline,
            BiConsumer<ModelServiceGrpc.ModelServiceStub, StreamObserver<T>> invoke) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        invoke.accept(transport.stub(ModelServiceGrpc::newStub)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), observer(answer));
        return answer;
    }

    /** Completes {@code answer} with the unary call's message, or fails it with the server's words. */
    private static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable failure) {
                Status status = Status.fromThrowable(failure);
                answer.completeExceptionally(new StatusRuntimeException(status.withDescription(
                        Optional.ofNullable(status.getDescription()).orElse(status.getCode().toString()))));
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("The server answered nothing"));
            }
        };
    }

    private static <T> CompletableFuture<T> refused(String why) {
        return CompletableFuture.failedFuture(new NotPossibleOnThisServer(why));
    }

    private void publish(ServerEvent.Severity severity, String source, String text) {
        ServerEvent event = new ServerEvent(clock.instant(), severity, source, text);
        events.add(event);
    }
}
