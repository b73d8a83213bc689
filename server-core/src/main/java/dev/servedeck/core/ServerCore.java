package dev.servedeck.core;

import dev.servedeck.core.admin.ModelAdministration;
import dev.servedeck.core.admin.ModelStates;
import dev.servedeck.core.admin.VersionLabelRule;
import dev.servedeck.core.batching.ArrivingRequest;
import dev.servedeck.core.batching.BatchRequest;
import dev.servedeck.core.batching.BatchScheduler;
import dev.servedeck.core.batching.BatchableInputs;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.batching.Ticker;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.inference.InFlightTensorBytes;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.lifecycle.AspiredVersionsManager;
import dev.servedeck.core.lifecycle.AvailabilityPreservingPolicy;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.lifecycle.ServableHandle;
import dev.servedeck.core.lifecycle.ServableStateMonitor;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.RunPhases;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableRequest;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.servable.TimedOutputs;
import dev.servedeck.core.source.FileSystemStoragePathSource;
import dev.servedeck.core.source.MonitoredModel;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.SavedModelCompleteness;
import dev.servedeck.core.tensorflow.SavedModelLoader;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * The serving core: one {@link ModelServerConfig} turned into a file-system source feeding an aspired
 * versions manager, plus version labels. Front ends (REST, gRPC, console) hold no state of their own and
 * reach models only through this class.
 */
public final class ServerCore implements ServingApi, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    private final ServerCoreOptions options;
    private final ServableStateMonitor monitor = new ServableStateMonitor();
    /** The read-only view of {@link #monitor} that everything outside the core reads states through. */
    private final ModelStates states = new ModelStates(monitor);
    private final VersionLabelRule labelRule;
    private final ModelAdministration administration;
    private final AspiredVersionsManager manager;
    private final FileSystemStoragePathSource source;
    /** Present when batching is enabled; shared by every model. */
    private final Optional<BatchScheduler> batching;
    private final PerModelBatchingOptions perModelBatching = new PerModelBatchingOptions();
    private final ModelRunRecorder modelRuns;
    /** What the requests being served declare of tensors together, bounded by --max_in_flight_tensor_bytes. */
    private final InFlightTensorBytes tensorsInFlight;
    private final Object configLock = new Object();
    private volatile ModelServerConfig config = ModelServerConfig.getDefaultInstance();
    private volatile VersionLabels labels = VersionLabels.EMPTY;
    private final List<ConfigChangeListener> changeListeners = new CopyOnWriteArrayList<>();

    private ServerCore(ServerCoreOptions options, CoreInstrumentation instrumentation, UnaryOperator<Loader> loaders) {
        this.options = options;
        this.modelRuns = instrumentation.modelRuns();
        this.tensorsInFlight = new InFlightTensorBytes(options.tensorByteLimit().maxInFlightBytes());
        this.labelRule = new VersionLabelRule(options.allowVersionLabelsForUnavailableModels());
        // Safe to hand out this early: the administration keeps the reference and uses it only when called.
        this.administration = new ModelAdministration(this, states, labelRule);
        monitor.subscribe(instrumentation.stateListener());
        Clock clock = Clock.systemUTC();
        this.manager = AspiredVersionsManager.builder(monitor).policy(new AvailabilityPreservingPolicy())
                .loadThreads(options.loadThreads()).unloadThreads(options.unloadThreads())
                .loadRetries(options.loadRetries()).clock(clock).build();
        BatchingConfig batchingConfig = options.batching();
        boolean perModel = batchingConfig.enabled() && batchingConfig.perModelParameters();
        this.source = new FileSystemStoragePathSource(
                versionDir -> loaders.apply(perModel
                        ? perModelBatching.wrap(versionDir, loaderOf(versionDir, options))
                        : loaderOf(versionDir, options)),
                new SavedModelCompleteness(), manager, monitor,
                positiveOr(options.fileSystemPollWait(), Duration.ofSeconds(1)), clock);
        this.batching = batchingConfig.enabled()
                ? Optional.of(new BatchScheduler(batchingConfig.options(), Ticker.system(),
                        instrumentation.batchObserver()))
                : Optional.empty();
    }

    /** A version's loader; its warmup records are held to the same tensor bound as client requests. */
    private static SavedModelLoader loaderOf(Path versionDir, ServerCoreOptions options) {
        return new SavedModelLoader(versionDir, options.tensorflow(), options.tensorByteLimit());
    }

    /**
     * Starts the core on a config and waits (up to {@link ServerCoreOptions#loadTimeout()}) until its
     * models have loaded or failed. A model that fails to load is reported in its status; the others serve.
     *
     * @throws ServingException INVALID_ARGUMENT for an invalid config, FAILED_PRECONDITION for labels that
     *     point at versions that are not available
     */
    public static ServerCore start(ServerCoreOptions options, ModelServerConfig config) {
        return start(options, config, CoreInstrumentation.NONE);
    }

    /** As {@link #start(ServerCoreOptions, ModelServerConfig)}, reporting model calls and state changes to monitoring. */
    public static ServerCore start(ServerCoreOptions options, ModelServerConfig config,
            CoreInstrumentation instrumentation) {
        return start(options, config, instrumentation, UnaryOperator.identity());
    }

    /**
     * As {@link #start(ServerCoreOptions, ModelServerConfig, CoreInstrumentation)}, with every version's loader
     * passed through {@code loaders}: the seam fault tests use to put a misbehaving servable behind a real one.
     */
    static ServerCore start(ServerCoreOptions options, ModelServerConfig config, CoreInstrumentation instrumentation,
            UnaryOperator<Loader> loaders) {
        ServerCore core = new ServerCore(options, instrumentation, loaders);
        try {
            core.reloadConfig(config);
            if (!options.fileSystemPollWait().isNegative() && !options.fileSystemPollWait().isZero()) {
                core.source.start();
            }
            return core;
        } catch (RuntimeException e) {
            // A start cut short by an interrupt (SIGTERM while models load) still closes as an orderly close does,
            // waiting for loads in progress so that their native resources are released before the JVM exits.
            boolean interrupted = Thread.interrupted();
            core.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /**
     * Replaces the model config, as TF Serving's ReloadConfig: models left out are unloaded, new ones
     * loaded, changed policies applied; then version labels are checked and swapped in. Waits for the
     * affected models to settle. Calls are serialized.
     *
     * @throws ServingException INVALID_ARGUMENT for an invalid config or one naming a base path outside
     *     {@link ServerCoreOptions#modelBasePathAllowlist()} (nothing changes), FAILED_PRECONDITION when a label
     *     points at a version that is not available (models are applied, labels stay as before)
     */
    public void reloadConfig(ModelServerConfig newConfig) {
        try {
            applyConfig(newConfig);
        } catch (ServingException e) {
            changeListeners.forEach(listener -> listener.configRefused(e));
            throw e;
        }
        changeListeners.forEach(listener -> listener.configApplied(newConfig));
    }

    private void applyConfig(ModelServerConfig newConfig) {
        ModelServerConfigFile.validate(newConfig, "config");
        // Here, where every config passes (the first, gRPC's ReloadConfig, the config file poller, the console).
        options.modelBasePathAllowlist().check(newConfig);
        synchronized (configLock) {
            List<MonitoredModel> models = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (ModelConfig model : newConfig.getModelConfigList().getConfigList()) {
                models.add(new MonitoredModel(model.getName(), Path.of(model.getBasePath()),
                        ServableVersionPolicy.fromProto(model.getModelVersionPolicy())));
                names.add(model.getName());
            }
            LOG.info("Applying model config with {} model(s): {}", models.size(), names);
            if (models.isEmpty()) {
                LOG.warn("The model config has no models: the server will serve none");
            }
            source.updateConfig(models);
            awaitStableVersionFolders();
            awaitLoaded(names);
            VersionLabels nextLabels;
            try {
                nextLabels = VersionLabels.from(newConfig, manager::availableVersions, labelRule, labels);
            } catch (ServingException e) {
                // The models are applied but the labels stay as before: the config in force must say so, or
                // every later reload (and a saved config) would carry the refused labels on.
                config = withLabelsOf(newConfig, config);
                throw e;
            }
            config = newConfig;
            labels = nextLabels;
        }
    }

    /** {@code models} with each model's version labels taken from {@code labelsFrom} (none for new models). */
    private static ModelServerConfig withLabelsOf(ModelServerConfig models, ModelServerConfig labelsFrom) {
        Map<String, Map<String, Long>> previous = new HashMap<>();
        for (ModelConfig model : labelsFrom.getModelConfigList().getConfigList()) {
            previous.put(model.getName(), model.getVersionLabelsMap());
        }
        ModelConfigList.Builder list = ModelConfigList.newBuilder();
        for (ModelConfig model : models.getModelConfigList().getConfigList()) {
            list.addConfig(model.toBuilder().clearVersionLabels()
                    .putAllVersionLabels(previous.getOrDefault(model.getName(), Map.of())));
        }
        return models.toBuilder().setModelConfigList(list).build();
    }

    /**
     * Version folders written just before this config was applied (a model copied in, demo models
     * generated) are checked, and aspired if complete, only once they stop changing; polls until they have,
     * so the server starts with them loaded rather than answering "not found" for a poll interval.
     */
    private void awaitStableVersionFolders() {
        long deadline = System.nanoTime() + options.loadTimeout().toNanos();
        try {
            while (source.hasUnstableVersions() && System.nanoTime() < deadline) {
                Thread.sleep(source.pollInterval().toMillis());
                source.pollOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServingException.unavailable("Interrupted while waiting for model folders to be complete");
        }
    }

    private static Duration positiveOr(Duration duration, Duration fallback) {
        return duration.isNegative() || duration.isZero() ? fallback : duration;
    }

    private void awaitLoaded(Set<String> names) {
        try {
            if (!manager.awaitStreamsSettled(names, options.loadTimeout())) {
                LOG.warn("Models {} did not finish loading within {}", names, options.loadTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServingException.unavailable("Interrupted while waiting for models to load");
        }
    }

    /** The config currently applied. */
    public ModelServerConfig config() {
        return config;
    }

    /**
     * The models' states: the single feed for status queries, health, the console and metrics. Read-only; the
     * lifecycle behind it stays inside the core.
     */
    public ModelStates states() {
        return states;
    }

    /** Every change to the models served (add, remove, policies, loads, labels, the whole config), with its rules. */
    public ModelAdministration administration() {
        return administration;
    }

    /** Labels of a model (label -> version); empty if it has none. */
    public Map<String, Long> versionLabels(String model) {
        return labels.labelsOf(model);
    }

    /**
     * Predict. The inputs' declared size is checked first ({@link TensorByteLimit}) and reserved among the requests in
     * flight ({@link InFlightTensorBytes}) until the answer is ready, before batching or TensorFlow allocates anything
     * for them. With batching enabled, a request that can share a batch ({@link BatchableInputs})
     * is queued and the future completes on a batch thread; anything else runs at once on the caller's thread. The
     * version's handle is held until the future completes. An {@link Error} from the model (out of memory, a
     * stack overflow, an assertion) answers INTERNAL like any unexpected failure, batched or not.
     */
    @Override
    public CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout) {
        ServableHandle handle;
        try {
            handle = manager.acquire(resolve(spec));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean batchHoldsHandle = false;
        InFlightTensorBytes.Reservation reservation = InFlightTensorBytes.NONE;
        // From here until it is queued, the request is company that partial batches of its model may wait for.
        ArrivingRequest arriving = batching.map(scheduler -> scheduler.arriving(handle.id().name()))
                .orElse(ArrivingRequest.NONE);
        try {
            Servable servable = handle.servable();
            String signature = signatureName(spec);
            SignatureDef def = servable.predictSignature(signature);
            Map<String, TensorProto> inputs = inputDecoder.apply(def);
            reservation = tensorsInFlight.reserve(options.tensorByteLimit().checkInputs(inputs));
            Optional<CompletableFuture<Map<String, TensorProto>>> batched = batching.flatMap(scheduler ->
                    schedule(scheduler, arriving, handle, servable, signature, def, inputs, outputFilter, timeout));
            if (batched.isPresent()) {
                batchHoldsHandle = true;
                ServableId id = handle.id();
                InFlightTensorBytes.Reservation held = reservation;
                return batched.get()
                        .whenComplete((outputs, error) -> {
                            held.close();
                            handle.close();
                        })
                        .thenApply(outputs -> new PredictResult(id, signature, outputs));
            }
            Map<String, TensorProto> outputs = timedPredict(handle.id(), servable, signature, inputs, outputFilter);
            return CompletableFuture.completedFuture(new PredictResult(handle.id(), signature, outputs));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } catch (Error e) {
            return CompletableFuture.failedFuture(servableFault("Predict", handle.id(), e));
        } finally {
            arriving.close();
            if (!batchHoldsHandle) {
                reservation.close();
                handle.close();
            }
        }
    }

    @Override
    public ExpectedCall expectPredict(String model) {
        return batching.<ExpectedCall>map(scheduler -> scheduler.arriving(model)::close).orElse(ExpectedCall.NONE);
    }

    /**
     * The answer to an {@link Error} thrown while a model ran: INTERNAL, naming the kind of failure but not its
     * stack trace, which goes to the log. The request thread lives on and the version's handle is released, so
     * one broken model or request never takes the server, or a version's unload, down with it.
     */
    private static ServingException servableFault(String api, ServableId id, Error error) {
        LOG.error("{} on servable {} failed with {}; answering INTERNAL", api, id, error.getClass().getName(), error);
        return ServingException.unexpected(api + " on servable " + id, error);
    }

    private Optional<CompletableFuture<Map<String, TensorProto>>> schedule(BatchScheduler scheduler,
            ArrivingRequest arriving, ServableHandle handle, Servable servable, String signature, SignatureDef def,
            Map<String, TensorProto> inputs, Set<String> outputFilter, Duration timeout) {
        Optional<BatchableInputs> batchable = BatchableInputs.inspect(def, inputs, outputFilter);
        if (batchable.isEmpty()) {
            arriving.close();
            scheduler.recordPassThrough(handle.id());
            return Optional.empty();
        }
        return Optional.of(scheduler.schedule(new BatchRequest(handle.id(), servable, signature, batchable.get(),
                merged -> timedPredict(handle.id(), servable, signature, merged, outputFilter), timeout,
                perModelBatching.of(servable)), arriving));
    }

    /**
     * One TensorFlow run (a request's or a whole batch's), timed phase by phase for the runtime latency metric and
     * the protocol's statistics.
     */
    private Map<String, TensorProto> timedPredict(ServableId id, Servable servable, String signature,
            Map<String, TensorProto> inputs, Set<String> outputFilter) {
        TimedOutputs run = servable.predictTimed(signature, inputs, outputFilter);
        modelRuns.record(new ModelRun(id, "Predict", rowsOf(inputs), run.phases()));
        return run.outputs();
    }

    /** The batch size a run had: the first dimension of its first input, 1 for a scalar (0 without inputs). */
    private static long rowsOf(Map<String, TensorProto> inputs) {
        for (TensorProto input : inputs.values()) {
            return input.getTensorShape().getDimCount() == 0 ? 1 : input.getTensorShape().getDim(0).getSize();
        }
        return 0;
    }

    @Override
    public ClassifyResult classify(ModelSpec spec, ExampleBatch input) {
        try (InFlightTensorBytes.Reservation reserved = reserveExamples(input)) {
            return runExamples(spec, "Classify", input.examples().size(),
                    (servable, signature) -> servable.classify(signature, input), ClassifyResult::new);
        }
    }

    @Override
    public RegressResult regress(ModelSpec spec, ExampleBatch input) {
        try (InFlightTensorBytes.Reservation reserved = reserveExamples(input)) {
            return runExamples(spec, "Regress", input.examples().size(),
                    (servable, signature) -> servable.regress(signature, input), RegressResult::new);
        }
    }

    /** The bound on the tensor of serialized examples (context included), then its bytes reserved. */
    private InFlightTensorBytes.Reservation reserveExamples(ExampleBatch input) {
        return tensorsInFlight.reserve(options.tensorByteLimit().checkExamples(input));
    }

    /** Classify and Regress: resolve, hold the version, run it timed (as a whole) for the runtime latency metric. */
    private <T, R> R runExamples(ModelSpec spec, String api, int examples, BiFunction<Servable, String, T> call,
            ExampleResultFactory<T, R> result) {
        try (ServableHandle handle = manager.acquire(resolve(spec))) {
            String signature = signatureName(spec);
            long start = System.nanoTime();
            T answer;
            try {
                answer = call.apply(handle.servable(), signature);
            } catch (Error e) {
                throw servableFault(api, handle.id(), e);
            }
            modelRuns.record(new ModelRun(handle.id(), api, examples,
                    RunPhases.inferOnly(System.nanoTime() - start)));
            return result.create(handle.id(), signature, answer);
        }
    }

    @FunctionalInterface
    private interface ExampleResultFactory<T, R> {
        R create(ServableId servedBy, String signature, T answer);
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        try (ServableHandle handle = manager.acquire(resolve(spec))) {
            return new ModelMetadata(handle.id(), handle.servable().signatureDefs());
        }
    }

    @Override
    public List<ServableState> status(ModelSpec spec) {
        SortedMap<Long, ServableState> versions = states.versions(spec.name());
        if (versions.isEmpty()) {
            throw ServingException.notFound("Could not find any versions of model " + spec.name());
        }
        OptionalLong wanted = spec.label().isPresent() ? OptionalLong.of(labelledVersion(spec)) : spec.version();
        if (wanted.isEmpty()) {
            return List.copyOf(versions.values());
        }
        ServableState state = versions.get(wanted.getAsLong());
        if (state == null) {
            throw ServingException.notFound(
                    "Could not find version " + wanted.getAsLong() + " of model " + spec.name());
        }
        return List.of(state);
    }

    /**
     * Ready when every configured model has an AVAILABLE version (a Kubernetes readiness answer); otherwise
     * names the first model that has none and the states its versions are in.
     */
    public ServerHealth health() {
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            if (!states.hasAvailableVersion(model.getName())) {
                SortedMap<Long, ServableState> versions = states.versions(model.getName());
                return ServerHealth.notReady("Model " + model.getName() + " has no AVAILABLE version"
                        + (versions.isEmpty() ? "" : " (versions: " + describe(versions) + ")"));
            }
        }
        return ServerHealth.READY;
    }

    private static String describe(SortedMap<Long, ServableState> versions) {
        StringBuilder text = new StringBuilder();
        versions.forEach((version, state) -> text.append(text.length() == 0 ? "" : ", ")
                .append(version).append(' ').append(state.state()));
        return text.toString();
    }

    private ServableRequest resolve(ModelSpec spec) {
        if (spec.label().isPresent()) {
            return ServableRequest.specific(spec.name(), labelledVersion(spec));
        }
        return new ServableRequest(spec.name(), spec.version());
    }

    private long labelledVersion(ModelSpec spec) {
        String label = spec.label().orElseThrow();
        OptionalLong version = labels.version(spec.name(), label);
        if (version.isEmpty()) {
            throw ServingException.notFound("Unrecognized servable version label: " + label);
        }
        return version.getAsLong();
    }

    private static String signatureName(ModelSpec spec) {
        return spec.signatureName().isEmpty() ? Servable.DEFAULT_SIGNATURE : spec.signatureName();
    }

    /** Whether Predict requests are batched (--enable_batching). */
    public boolean batchingEnabled() {
        return batching.isPresent();
    }

    /** The batching parameters shared by all models (those of the configuration when batching is off). */
    public BatchingOptions batchingOptions() {
        return batching.map(BatchScheduler::options).orElse(options.batching().options());
    }

    /**
     * Changes the batching parameters while the server runs, without reloading any model: the next batch
     * uses them, queued requests are kept. Versions with their own {@code batching_params.pbtxt} keep theirs.
     *
     * @throws ServingException FAILED_PRECONDITION when batching is not enabled
     */
    public void updateBatchingOptions(BatchingOptions newOptions) {
        batching.orElseThrow(() -> ServingException.failedPrecondition(
                "Batching is not enabled on this server (start it with --enable_batching)"))
                .updateOptions(newOptions);
        changeListeners.forEach(listener -> listener.batchingChanged(newOptions));
    }

    /**
     * Tells {@code listener} of every model config applied or refused and every live batching change from now on.
     *
     * @return closing it unsubscribes
     */
    public AutoCloseable subscribe(ConfigChangeListener listener) {
        changeListeners.add(listener);
        return () -> changeListeners.remove(listener);
    }

    /**
     * {@link #updateBatchingOptions} from {@code BatchingParameters} text, as the console edits it.
     *
     * @throws ServingException INVALID_ARGUMENT with the reason when the text does not parse or holds invalid
     *     values (the parameters in force stay), FAILED_PRECONDITION when batching is not enabled
     */
    public void updateBatchingParameters(String text) {
        updateBatchingOptions(BatchingParametersFile.parse(text, "the new batching parameters"));
    }

    /** The parameters in force as {@code BatchingParameters} text, ready to save as a --batching_parameters_file. */
    public String batchingParametersText() {
        return BatchingParametersFile.print(batchingOptions());
    }

    /** What batching has done so far ({@link BatchingStats#NONE} when batching is off). */
    public BatchingStats batchingStats() {
        return batching.map(BatchScheduler::stats).orElse(BatchingStats.NONE);
    }

    /**
     * Stops polling; runs the batches still queued (requests arriving now get UNAVAILABLE); then unloads every
     * model after its in-flight requests have finished.
     */
    @Override
    public void close() {
        source.close();
        batching.ifPresent(BatchScheduler::close);
        manager.close();
    }
}
