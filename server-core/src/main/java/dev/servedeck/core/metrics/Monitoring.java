package dev.servedeck.core.metrics;

import dev.servedeck.core.CoreInstrumentation;
import dev.servedeck.core.MetricsExposition;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.batching.BatchObserver;
import dev.servedeck.core.requestlog.ModelSamplingRates;
import dev.servedeck.core.requestlog.RequestLog;
import dev.servedeck.proto.config.ModelServerConfig;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything a server measures, in one place: the Prometheus registry with TF Serving's metrics, the live
 * statistics for the console and the sampled request log. Built before the core (whose first loads it
 * must see), attached to it once started, then asked for one {@link #meter metered view} of the core per
 * front end.
 */
public final class Monitoring implements AutoCloseable {

    /** The entrypoint label of REST calls, as TF Serving's. */
    public static final String REST = "REST";
    /** The entrypoint label of gRPC calls, as TF Serving's. */
    public static final String GRPC = "GRPC";

    private final MonitoringOptions options;
    private final ServingMetrics metrics;
    private final LiveStatistics statistics;
    private final Optional<RequestLog> requestLog;
    private final ModelLifecycleMetrics lifecycle;
    private final BatchingMetrics batching = new BatchingMetrics();
    private final InferenceStatistics inferenceStatistics;
    private final PrometheusExposition exposition;
    private final Optional<ScheduledExecutorService> roller;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private volatile ServerCore core;

    private Monitoring(MonitoringOptions options, Supplier<ModelServerConfig> configBeingApplied, Clock clock,
            LongSupplier nanoTime, DoubleSupplier uniform) throws IOException {
        this.options = options;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.metrics = new ServingMetrics(serverVersion(), true);
        this.statistics = new LiveStatistics(options.statistics(), clock);
        this.inferenceStatistics = new InferenceStatistics(clock);
        this.lifecycle = new ModelLifecycleMetrics(
                new VersionFolders(List.of(configBeingApplied, this::appliedConfig)),
                () -> core == null ? Map.of() : core.states().all());
        this.exposition = new PrometheusExposition(metrics.registry());
        if (options.metricsEnabled()) {
            metrics.registry().register(lifecycle);
            metrics.registry().register(lifecycle.loadAttempts());
            metrics.registry().register(lifecycle.loadLatency());
            this.requestLog = Optional.of(RequestLog.start(options.requestLog(),
                    new ModelSamplingRates(this::appliedConfig), uniform));
            registerRequestLogCounters(requestLog.get());
            this.roller = Optional.of(startRolling());
        } else {
            this.requestLog = Optional.empty();
            this.roller = Optional.empty();
        }
    }

    /**
     * Starts monitoring.
     *
     * @param configBeingApplied the model config the server is about to apply (model paths of the first
     *     loads are looked up there, before the core knows its config)
     * @throws IOException when the request log file cannot be opened
     */
    public static Monitoring start(MonitoringOptions options, Supplier<ModelServerConfig> configBeingApplied)
            throws IOException {
        return start(options, configBeingApplied, Clock.systemUTC(), System::nanoTime,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** As {@link #start(MonitoringOptions, Supplier)}, with the time sources and sampling randomness given. */
    public static Monitoring start(MonitoringOptions options, Supplier<ModelServerConfig> configBeingApplied,
            Clock clock, LongSupplier nanoTime, DoubleSupplier uniform) throws IOException {
        return new Monitoring(options, configBeingApplied, clock, nanoTime, uniform);
    }

    /**
     * What the core should report: model call durations, state changes and batching events (nothing with
     * metrics disabled).
     */
    public CoreInstrumentation instrumentation() {
        if (!options.metricsEnabled()) {
            return CoreInstrumentation.NONE;
        }
        // Each event is measured once by the core and told to every reader: Prometheus first, then the protocol's
        // cumulative statistics.
        return new CoreInstrumentation(
                run -> {
                    metrics.record(run);
                    inferenceStatistics.record(run);
                },
                state -> {
                    lifecycle.accept(state);
                    inferenceStatistics.stateChanged(state);
                },
                BatchObserver.both(batching, inferenceStatistics));
    }

    /**
     * Connects to the started core: its config (sampling rates), its version states (state gauges) and,
     * when it batches, its batch scheduler (batching metrics and live statistics). The batching metrics
     * are exported only then, as TF Serving exports them only with batching enabled.
     */
    public void attach(ServerCore startedCore) {
        this.core = startedCore;
        if (options.metricsEnabled() && startedCore.batchingEnabled()) {
            batching.register(metrics, startedCore::batchingStats);
            statistics.watchBatching(startedCore::batchingStats);
        }
    }

    /**
     * The core as a front end should call it: every inference call counted under {@code entrypoint}
     * ({@link #REST}, {@link #GRPC}). With metrics disabled, the core itself.
     */
    public ServingApi meter(ServingApi api, String entrypoint) {
        if (!options.metricsEnabled()) {
            return api;
        }
        return new MeteredServingApi(api, entrypoint, this::record, requestLog, nanoTime, clock);
    }

    public MonitoringOptions options() {
        return options;
    }

    public LiveStatistics statistics() {
        return statistics;
    }

    /**
     * Cumulative statistics per model version (the Open Inference Protocol's statistics extension); absent with
     * metrics disabled, when nothing is measured.
     */
    public Optional<InferenceStatistics> inferenceStatistics() {
        return options.metricsEnabled() ? Optional.of(inferenceStatistics) : Optional.empty();
    }

    /** The request log (absent with metrics disabled). */
    public Optional<RequestLog> requestLog() {
        return requestLog;
    }

    /** The Prometheus (or OpenMetrics) rendering of every metric. */
    public MetricsExposition exposition() {
        return exposition;
    }

    /**
     * Adds numbers kept elsewhere (the batch scheduler's) to every scrape.
     *
     * @return closing it removes the source
     */
    public AutoCloseable addSource(MetricSource source) {
        return metrics.addSource(source);
    }

    private void record(CompletedRequest request) {
        metrics.record(request);
        statistics.record(request);
        inferenceStatistics.record(request);
    }

    private ModelServerConfig appliedConfig() {
        ServerCore current = core;
        return current == null ? ModelServerConfig.getDefaultInstance() : current.config();
    }

    private ScheduledExecutorService startRolling() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "servedeck-statistics");
            thread.setDaemon(true);
            return thread;
        });
        long periodNanos = options.statistics().resolution().toNanos();
        executor.scheduleAtFixedRate(statistics::roll, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return executor;
    }

    private void registerRequestLogCounters(RequestLog log) {
        metrics.registry().register(CounterWithCallback.builder()
                .name("servedeck_request_log_dropped_total")
                .help("ServeDeck: sampled requests the request log dropped: its writer fell behind, or its file could not "
                        + "be written (disk full).")
                .callback(callback -> callback.call(log.dropped()))
                .build());
        metrics.registry().register(CounterWithCallback.builder()
                .name("servedeck_request_log_written_total")
                .help("ServeDeck: sampled requests written to the request log.")
                .callback(callback -> callback.call(log.written()))
                .build());
    }

    private static String serverVersion() {
        String version = Monitoring.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** Stops the statistics thread and writes out the request log. Call after the front ends have stopped. */
    @Override
    public void close() {
        roller.ifPresent(ScheduledExecutorService::shutdownNow);
        requestLog.ifPresent(RequestLog::close);
    }
}
