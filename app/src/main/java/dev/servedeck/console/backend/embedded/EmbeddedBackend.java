package dev.servedeck.console.backend.embedded;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.LoadTargets;
import dev.servedeck.console.backend.PolicyText;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.TlsSettings;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.backend.WarmupTarget;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.signature.Signatures;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.admin.ModelAdministration;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.LiveStatisticsOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.metrics.ProcessLoad;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.requestlog.RequestLogOptions;
import dev.servedeck.core.rest.AllowedHosts;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.tensorflow.JavaCppPhysicalMemoryCheck;
import dev.servedeck.core.tensorflow.demo.DemoModelSet;
import dev.servedeck.core.tls.PemIdentity;
import dev.servedeck.core.tls.TlsOptions;
import dev.servedeck.core.warmup.WarmupFile;
import dev.servedeck.proto.apis.PredictionLog;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's server, in this process: a {@link ModelServer} with REST (and gRPC) on real sockets. The
 * only console class that calls the serving core. Model operations are the core's {@link ModelAdministration}
 * (its rules, its refusals), run one at a time on the operations thread; model states come from the core's
 * {@code ModelStates}; predictions go over real HTTP so the console sees exactly what a client sees.
 */
public final class EmbeddedBackend implements ConsoleBackend {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);
    private static final int MAX_EVENTS = 2_000;
    /** The console's batching defaults: small batches, a short wait, so the demo feels snappy. */
    static final BatchingOptions CONSOLE_BATCHING = BatchingOptions.defaults()
            .withMaxBatchSize(32)
            .withBatchTimeoutMicros(500)
            .withNumBatchThreads(Math.max(1, Runtime.getRuntime().availableProcessors()))
            .withMaxEnqueuedBatches(100);

    /**
     * Live statistics in half-second steps (the server's default is 1 s), still over a one-minute long
     * window: the Monitor's charts get a new point twice a second.
     */
    static final LiveStatisticsOptions CONSOLE_STATISTICS = new LiveStatisticsOptions(Duration.ofMillis(500), 120);

    private final Clock clock;
    private final ExecutorService operations = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "servedeck-console-operations");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Consumer<ServerEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> modelListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RequestLogEntry>> requestListeners = new CopyOnWriteArrayList<>();
    private final Deque<ServerEvent> events = new ArrayDeque<>();

    private volatile Running running;
    private volatile ServerStatus.State state = ServerStatus.State.STOPPED;
    private volatile String failure = "";
    private volatile ServerSettings lastSettings;
    private final ProcessLoad processLoad = new ProcessLoad();

    /** A started server and what the backend hung on it, with the client of its REST API (HTTPS with TLS). */
    private record Running(ModelServer server, ServerSettings settings, Instant startedAt, OptionalInt restPort,
            OptionalInt grpcPort, List<AutoCloseable> subscriptions, HttpClient http, Optional<PemIdentity> identity) {
    }

    public EmbeddedBackend() {
        this(Clock.systemUTC());
    }

    EmbeddedBackend(Clock clock) {
        this.clock = clock;
    }

    // ---- server ----

    @Override
    public CompletableFuture<ServerStatus> start(ServerSettings settings) {
        return submit(() -> {
            if (running != null) {
                throw new IllegalStateException("The server is already running; stop it first");
            }
            lastSettings = settings;
            state = ServerStatus.State.STARTING;
            failure = "";
            publish(ServerEvent.Severity.INFO, "server", "Starting on " + settings.host() + " (REST "
                    + settings.restPort() + (settings.grpcPort() >= 0 ? ", gRPC " + settings.grpcPort() : "") + ")");
            fireModelsChanged();
            try {
                ModelServerConfig config = initialConfig(settings.models());
                // Read before the server starts, so a bad client PEM stops the start rather than every request.
                Optional<PemIdentity> identity = settings.tls().flatMap(TlsSettings::clientPem).map(PemIdentity::read);
                ModelServer server = ModelServer.start(serverOptions(settings), config);
                warnIfConsoleCannotConnect(server, identity);
                List<AutoCloseable> subscriptions = new ArrayList<>();
                subscriptions.add(server.core().states().subscribe(this::onStateChange));
                // The first loads happened inside start(), before anyone listened: report where each version
                // ended up (AVAILABLE, or END with the load's error) so the event log shows them too.
                server.core().states().all().values()
                        .forEach(versions -> versions.values().forEach(this::onStateChange));
                server.requestLog().ifPresent(log -> subscriptions.add(log.subscribe(this::onRequestLogged)));
                // For "Save recent requests as warmup file": the console keeps each model's latest successful
                // requests (bounded by the recorder) from the start, as its request log samples every request.
                server.recentRequests().setRecording(true);
                // Ports read once: a closing gRPC server refuses to tell its port.
                running = new Running(server, settings, clock.instant(), optionalInt(server.restPort()),
                        optionalInt(server.grpcPort()), subscriptions, ConsoleHttpClient.create(server.tls(), identity),
                        identity);
                state = ServerStatus.State.RUNNING;
                publish(ServerEvent.Severity.INFO, "server", "Serving " + config.getModelConfigList().getConfigCount()
                        + " model(s); REST at " + restBaseUrl().orElse("(off)")
                        + (running.grpcPort().isPresent() ? ", gRPC at " + settings.host() + ":" + running.grpcPort().getAsInt() : ""));
                reportFailedVersions(server.core());
            } catch (RuntimeException e) {
                state = ServerStatus.State.FAILED;
                failure = messageOf(e);
                publish(ServerEvent.Severity.ERROR, "server", "Could not start: " + failure);
                throw e;
            } finally {
                fireModelsChanged();
            }
            return status();
        });
    }

    private void warnIfConsoleCannotConnect(ModelServer server, Optional<PemIdentity> identity) {
        boolean clientVerify = server.tls().map(tls -> tls.credentials().clientVerify()).orElse(false);
        if (clientVerify && identity.isEmpty()) {
            publish(ServerEvent.Severity.WARNING, "server", "The SSL config requires client certificates "
                    + "(client_verify): the console's own requests (Predict, load generator) will be refused until it "
                    + "is started with --ssl_client_pem");
        }
    }

    /**
     * Runs TensorFlow as the headless server does: without JavaCPP's per-allocation memory check, which costs
     * about half the request rate ({@link JavaCppPhysicalMemoryCheck}). Call before anything touches TensorFlow.
     */
    public static void configureTensorflowRuntime() {
        JavaCppPhysicalMemoryCheck.switchOffUnlessConfigured();
    }

    /** Writes the demo models under {@code root} if they are missing (a no-op once they exist). */
    public static void prepareDemoModels(Path root) {
        DemoModelSet.ensure(root);
    }

    private static ModelServerConfig initialConfig(ModelSource source) {
        if (source instanceof ModelSource.Demo demo) {
            return DemoModelSet.ensure(demo.root());
        }
        if (source instanceof ModelSource.ConfigFile file) {
            return ModelServerConfigFile.read(file.file());
        }
        ModelSource.BasePath basePath = (ModelSource.BasePath) source;
        return ModelAdministration.singleModelConfig(basePath.name(), basePath.basePath());
    }

    private static ModelServerOptions serverOptions(ServerSettings settings) throws UncheckedIOException {
        ServerCoreOptions core = ServerCoreOptions.defaults();
        if (settings.batching()) {
            core = core.withBatching(BatchingConfig.enabled(CONSOLE_BATCHING));
        }
        RestOptions rest = RestOptions.defaults().withHost(settings.host()).withPort(settings.restPort());
        if (isLoopback(settings.host())) {
            // DNS rebinding: a web page whose name points at 127.0.0.1 must not drive the console's server.
            rest = rest.withAllowedHosts(AllowedHosts.LOOPBACK);
        }
        try {
            Files.createDirectories(settings.requestLogDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the request log folder " + settings.requestLogDir(), e);
        }
        // The console samples every request: it is a local tool and its log view should show each one.
        MonitoringOptions monitoring = MonitoringOptions.defaults()
                .withPrometheusPath("/monitoring/prometheus/metrics")
                .withRequestLog(RequestLogOptions.defaults()
                        .withFile(settings.requestLogDir().resolve("requests.jsonl"))
                        .withSamplingRate(1.0)
                        .withRotation(20L * 1024 * 1024, 3))
                .withStatistics(CONSOLE_STATISTICS);
        ModelServerOptions options = new ModelServerOptions(core, Optional.of(rest), Optional.empty(),
                Optional.empty(), Duration.ZERO, monitoring);
        if (settings.tls().isPresent()) {
            options = options.withTls(TlsOptions.of(settings.tls().get().sslConfigFile()));
        }
        if (settings.grpcPort() != ServerSettings.NO_GRPC) {
            options = options.withGrpc(GrpcOptions.defaults().withHost(settings.host()).withPort(settings.grpcPort()));
        }
        return options;
    }

    /** A name that does not resolve is no loopback (binding it fails anyway, with its own message). */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public CompletableFuture<Void> stop() {
        return submit(() -> {
            Running current = running;
            if (current == null) {
                return null;
            }
            state = ServerStatus.State.STOPPING;
            publish(ServerEvent.Severity.INFO, "server", "Stopping: draining in-flight requests");
            fireModelsChanged();
            try {
                for (AutoCloseable subscription : current.subscriptions()) {
                    closeQuietly(subscription);
                }
                current.server().close();
            } finally {
                running = null;
                state = ServerStatus.State.STOPPED;
                publish(ServerEvent.Severity.INFO, "server", "Stopped");
                fireModelsChanged();
            }
            return null;
        });
    }

    @Override
    public Optional<ServerSettings> settings() {
        return Optional.ofNullable(lastSettings);
    }

    @Override
    public ServerStatus status() {
        Runtime runtime = Runtime.getRuntime();
        long heapUsed = runtime.totalMemory() - runtime.freeMemory();
        // The embedded server's process is the console's: its CPU and memory are the console's own.
        ProcessLoad.Reading process = processLoad.read();
        Running current = running;
        if (current == null) {
            return new ServerStatus(state, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), 0, 0, heapUsed,
                    runtime.maxMemory(), failure, process.cpuCores(), process.residentBytes());
        }
        ServerCore core = current.server().core();
        int available = 0;
        for (String model : core.states().all().keySet()) {
            available += core.states().availableVersions(model).size();
        }
        return new ServerStatus(state, Optional.of(current.startedAt()), current.restPort(), current.grpcPort(), core.config().getModelConfigList().getConfigCount(),
                available, heapUsed, runtime.maxMemory(), failure, process.cpuCores(), process.residentBytes());
    }

    private static OptionalInt optionalInt(Optional<Integer> value) {
        return value.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    @Override
    public List<ServerEvent> recentEvents() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    // ---- models ----

    @Override
    public List<ModelEntry> models() {
        Running current = running;
        if (current == null) {
            return List.of();
        }
        ServerCore core = current.server().core();
        Map<String, SortedMap<Long, ServableState>> states = core.states().all();
        List<ModelEntry> models = new ArrayList<>();
        for (ModelConfig model : core.config().getModelConfigList().getConfigList()) {
            List<VersionEntry> versions = new ArrayList<>();
            for (ServableState versionState : states.getOrDefault(model.getName(), new java.util.TreeMap<>()).values()) {
                versions.add(new VersionEntry(versionState.id().version(), versionState.state(),
                        versionState.failed() ? versionState.health().message() : "",
                        versionState.waiting() ? versionState.health().message() : "", versionState.time()));
            }
            models.add(ModelEntry.of(model.getName(), Path.of(model.getBasePath()),
                    ServableVersionPolicy.fromProto(model.getModelVersionPolicy()),
                    core.versionLabels(model.getName()), versions));
        }
        models.sort(java.util.Comparator.comparing(ModelEntry::name));
        return models;
    }

    @Override
    public Subscription onModelsChanged(Runnable listener) {
        modelListeners.add(listener);
        return () -> modelListeners.remove(listener);
    }

    @Override
    public CompletableFuture<Void> addModel(String name, Path basePath, ServableVersionPolicy policy) {
        return administer("Added model " + name, admin -> admin.addModel(name, basePath, policy));
    }

    @Override
    public CompletableFuture<Void> removeModel(String name) {
        return administer("Removed model " + name, admin -> admin.removeModel(name))
                .thenRun(() -> {
                    // A model added again under this name may have other signatures: its old requests must not
                    // end up in its warmup file.
                    Running current = running;
                    if (current != null) {
                        current.server().recentRequests().forget(name);
                    }
                });
    }

    @Override
    public CompletableFuture<Void> setVersionPolicy(String model, ServableVersionPolicy policy) {
        return administer("Version policy of " + model + " set to " + PolicyText.of(policy),
                admin -> admin.setVersionPolicy(model, policy));
    }

    @Override
    public CompletableFuture<Void> loadVersion(String model, long version) {
        return administer("Loading " + model + " version " + version, admin -> admin.loadVersion(model, version));
    }

    @Override
    public CompletableFuture<Void> unloadVersion(String model, long version) {
        return administer("Unloading " + model + " version " + version, admin -> admin.unloadVersion(model, version));
    }

    @Override
    public CompletableFuture<Void> setLabel(String model, String label, long version) {
        return administer("Label " + label + " of " + model + " now points at version " + version,
                admin -> admin.setLabel(model, label, version));
    }

    @Override
    public CompletableFuture<Void> removeLabel(String model, String label) {
        return administer("Removed label " + label + " of " + model, admin -> admin.removeLabel(model, label));
    }

    @Override
    public CompletableFuture<Void> openModelConfig(Path file) {
        // An operator opening a file wants its models served even when one of its labels cannot be yet.
        return administer("Opened model config " + file,
                admin -> admin.replaceConfigKeepingServableLabels(ModelServerConfigFile.read(file)));
    }

    @Override
    public CompletableFuture<Void> saveModelConfig(Path file) {
        return submit(() -> {
            String text = modelConfigText();
            Files.writeString(file, text, StandardCharsets.UTF_8);
            publish(ServerEvent.Severity.INFO, "server", "Saved the model config to " + file);
            return null;
        });
    }

    @Override
    public String modelConfigText() {
        return ModelServerConfigFile.format(requireRunning().server().core().config());
    }

    /**
     * Runs one operation of the core's model administration on the operations thread, and tells the event log
     * and the model listeners. The rules (and the refusals, which change nothing) are the core's.
     */
    private CompletableFuture<Void> administer(String description, Consumer<ModelAdministration> operation) {
        return submit(() -> {
            ServerCore core = requireRunning().server().core();
            try {
                operation.accept(core.administration());
                publish(ServerEvent.Severity.INFO, "server", description);
                reportFailedVersions(core);
            } catch (RuntimeException e) {
                publish(ServerEvent.Severity.ERROR, "server", description + " failed: " + messageOf(e));
                throw e;
            } finally {
                fireModelsChanged();
            }
            return null;
        });
    }

    private void reportFailedVersions(ServerCore core) {
        // Load failures already arrive as END events with an error; nothing else to do here, but a model whose
        // base path holds no version at all deserves a word, since the server then serves nothing for it.
        for (ModelConfig model : core.config().getModelConfigList().getConfigList()) {
            if (core.states().versions(model.getName()).isEmpty()) {
                publish(ServerEvent.Severity.WARNING, model.getName(),
                        "No version of " + model.getName() + " found under " + model.getBasePath());
            }
        }
    }

    // ---- warmup ----

    @Override
    public CompletableFuture<WarmupTarget> warmupTarget(String model, long version) {
        return submit(() -> {
            Path file = WarmupFile.of(requireRunning().server().core().administration().versionFolder(model, version)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Model " + model + " has no folder for version " + version)));
            return new WarmupTarget(file, Files.exists(file));
        });
    }

    @Override
    public CompletableFuture<Integer> saveRecentRequestsAsWarmup(String model, Path file) {
        return submit(() -> {
            List<PredictionLog> logs = requireRunning().server().recentRequests().predictionLogs(model);
            if (logs.isEmpty()) {
                throw new IllegalStateException("No successful Predict, Classify or Regress request of " + model
                        + " was recorded since the server started: send some (the Predict page does), then save again");
            }
            WarmupFile.write(file, logs);
            publish(ServerEvent.Severity.INFO, model, "Saved " + logs.size() + " recent request(s) of " + model
                    + " as a warmup file: " + file);
            return logs.size();
        });
    }

    // ---- batching ----

    @Override
    public boolean batchingEnabled() {
        Running current = running;
        return current != null && current.server().core().batchingEnabled();
    }

    @Override
    public BatchingOptions batchingOptions() {
        Running current = running;
        return current == null ? CONSOLE_BATCHING : current.server().core().batchingOptions();
    }

    @Override
    public CompletableFuture<Void> applyBatching(BatchingOptions options) {
        return submit(() -> {
            try {
                requireRunning().server().core().updateBatchingOptions(options);
                publish(ServerEvent.Severity.INFO, "server", "Batching parameters applied: max_batch_size "
                        + options.maxBatchSize() + ", batch_timeout_micros " + options.batchTimeoutMicros());
            } catch (RuntimeException e) {
                publish(ServerEvent.Severity.ERROR, "server", "Batching parameters refused: " + messageOf(e));
                throw e;
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
        return submit(() -> BatchingParametersFile.read(file));
    }

    @Override
    public CompletableFuture<Void> saveBatchingFile(BatchingOptions options, Path file) {
        return submit(() -> {
            Files.writeString(file, BatchingParametersFile.print(options), StandardCharsets.UTF_8);
            publish(ServerEvent.Severity.INFO, "server", "Saved the batching parameters to " + file);
            return null;
        });
    }

    // ---- predict ----

    @Override
    public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
        return submit(() -> {
            ServerCore core = requireRunning().server().core();
            ModelSpec spec;
            if (version instanceof VersionChoice.Number number) {
                spec = ModelSpec.version(model, number.version());
            } else if (version instanceof VersionChoice.Label label) {
                spec = ModelSpec.label(model, label.label());
            } else {
                spec = ModelSpec.latest(model);
            }
            ModelMetadata metadata = core.metadata(spec);
            return Signatures.describe(metadata.signatureDefs());
        });
    }

    @Override
    public CompletableFuture<RestReply> sendRest(RestCall call) {
        Running current = running;
        Optional<String> base = restBaseUrl();
        if (current == null || base.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("The server is not running"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.get() + call.path()))
                .timeout(Duration.ofSeconds(60));
        return call.send(current.http(), request);
    }

    @Override
    public CompletableFuture<LoadRun> startLoad(LoadSpec spec) {
        Running current = running;
        Optional<String> base = restBaseUrl();
        if (current == null || base.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("The server is not running"));
        }
        // Off the operations thread (a model load there must not hold the load back) and off the FX thread:
        // connecting blocks until every connection is open.
        CompletableFuture<LoadRun> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                LoadTargets targets = LoadTargets.ofEmbedded(base.get(), current.grpcPort(),
                        current.server().tls().map(tls -> tls.credentials().certificate()), current.identity());
                LoadTarget target = !spec.api().overGrpc() ? targets.rest(spec)
                        : targets.grpc(spec, signatures(spec.model(), spec.version()).join());
                started.complete(LoadRun.start(target, spec.plan()));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        }, "console-load-start");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    @Override
    public Optional<String> restBaseUrl() {
        Running current = running;
        if (current == null) {
            return Optional.empty();
        }
        String host = current.settings().host();
        // A wildcard bind is reachable on loopback; IPv6 literals need brackets in a URL.
        String urlHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
        String scheme = current.server().tls().isPresent() ? "https://" : "http://";
        return current.restPort().isPresent()
                ? Optional.of(scheme + urlHost + ":" + current.restPort().getAsInt()) : Optional.empty();
    }

    // ---- monitor and logs ----

    @Override
    public Optional<StatisticsSnapshot> statistics() {
        Running current = running;
        return current == null ? Optional.empty() : Optional.of(current.server().statistics().snapshot());
    }

    @Override
    public Subscription onRequestLogged(Consumer<RequestLogEntry> listener) {
        requestListeners.add(listener);
        return () -> requestListeners.remove(listener);
    }

    @Override
    public List<RequestLogEntry> recentRequests(int max) {
        Running current = running;
        if (current == null) {
            return List.of();
        }
        return current.server().requestLog().map(log -> log.recent(max)).orElse(List.of());
    }

    @Override
    public void close() {
        try {
            stop().get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            LOG.warn("The embedded server did not stop cleanly: {}", messageOf(e));
        }
        operations.shutdown();
    }

    // ---- plumbing ----

    private Running requireRunning() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException("The server is not running");
        }
        return current;
    }

    private void onStateChange(ServableState change) {
        String source = change.id().name() + ":" + change.id().version();
        if (change.failed()) {
            publish(ServerEvent.Severity.ERROR, source, change.id().name() + " version " + change.id().version()
                    + " " + change.state() + ": " + change.health().message());
        } else {
            publish(ServerEvent.Severity.INFO, source, change.id().name() + " version " + change.id().version()
                    + " is " + change.state() + (change.waiting() ? ": " + change.health().message() : ""));
        }
        fireModelsChanged();
    }

    private void onRequestLogged(RequestLogEntry entry) {
        for (Consumer<RequestLogEntry> listener : requestListeners) {
            listener.accept(entry);
        }
    }

    private void publish(ServerEvent.Severity severity, String source, String message) {
        ServerEvent event = new ServerEvent(clock.instant(), severity, source, message);
        synchronized (events) {
            events.addLast(event);
            while (events.size() > MAX_EVENTS) {
                events.removeFirst();
            }
        }
        if (severity == ServerEvent.Severity.ERROR) {
            LOG.warn("{}: {}", source, message);
        } else {
            LOG.info("{}: {}", source, message);
        }
        for (Consumer<ServerEvent> listener : eventListeners) {
            listener.accept(event);
        }
    }

    private void fireModelsChanged() {
        for (Runnable listener : modelListeners) {
            listener.run();
        }
    }

    private <T> CompletableFuture<T> submit(CheckedSupplier<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            operations.execute(() -> {
                try {
                    future.complete(work.get());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException("The console backend is closed"));
        }
        return future;
    }

    @FunctionalInterface
    private interface CheckedSupplier<T> {
        T get() throws Exception;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing a subscription failed", e);
        }
    }

    private static String messageOf(Throwable error) {
        return Failures.message(error);
    }
}
