package dev.servedeck.core.metrics;

import dev.servedeck.core.ModelRun;
import dev.servedeck.core.ModelRunRecorder;
import dev.servedeck.core.status.Code;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Prometheus side of monitoring: TF Serving's request metrics under TF Serving's own names, labels
 * and buckets (tensorflow_serving/servables/tensorflow/util.cc), ServeDeck's per-version extensions, JVM
 * and process metrics and build info, all in one registry of this server (no global state).
 *
 * <p>Recording is lock-free: the client library's counters and histograms stripe their cells, and a
 * label set is found through a concurrent map.
 */
final class ServingMetrics implements ModelRunRecorder {

    /** TF Serving's latency buckets: {@code Buckets::Exponential(10, 1.8, 33)}, 10 µs to about 20 minutes. */
    static final double[] LATENCY_BUCKETS_MICROS = exponential(10, 1.8, 33);
    /** TF Serving's example count buckets: {@code Buckets::Exponential(1, 2, 15)}, 1 to 16384. */
    static final double[] EXAMPLE_COUNT_BUCKETS = exponential(1, 2, 15);
    /** TF Serving's runtime label value for the TensorFlow (non-TFRT) runtime ServeDeck embeds. */
    static final String RUNTIME = "TF1";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExactNameCounter requestCount = new ExactNameCounter(":tensorflow:serving:request_count",
            "The total number of requests.", "model_name", "status");
    private final Histogram requestLatency = Histogram.builder()
            .name(":tensorflow:serving:request_latency")
            .help("Distribution of wall time (in microseconds) for Tensorflow Serving request.")
            .labelNames("model_name", "API", "entrypoint", "status")
            .classicOnly().classicUpperBounds(LATENCY_BUCKETS_MICROS)
            .build();
    private final Histogram runtimeLatency = Histogram.builder()
            .name(":tensorflow:serving:runtime_latency")
            .help("Distribution of wall time (in microseconds) for Tensorflow runtime.")
            .labelNames("model_name", "API", "runtime")
            .classicOnly().classicUpperBounds(LATENCY_BUCKETS_MICROS)
            .build();
    private final Histogram exampleCounts = Histogram.builder()
            .name(":tensorflow:serving:request_example_counts")
            .help("The number of tensorflow.Examples per request.")
            .labelNames("model")
            .classicOnly().classicUpperBounds(EXAMPLE_COUNT_BUCKETS)
            .build();
    private final Counter exampleCountTotal = Counter.builder()
            .name(":tensorflow:serving:request_example_count_total")
            .help("The total number of tensorflow.Examples.")
            .labelNames("model")
            .build();
    private final Counter versionRequests = Counter.builder()
            .name("servedeck_requests_total")
            .help("ServeDeck: requests per model version and signature.")
            .labelNames("model_name", "version", "signature", "API", "entrypoint", "status")
            .build();
    private final Histogram versionLatency = Histogram.builder()
            .name("servedeck_request_latency_microseconds")
            .help("ServeDeck: wall time (in microseconds) of requests per model version and signature.")
            .labelNames("model_name", "version", "signature", "API", "entrypoint")
            .classicOnly().classicUpperBounds(LATENCY_BUCKETS_MICROS)
            .build();
    private final Counter versionRows = Counter.builder()
            .name("servedeck_request_rows_total")
            .help("ServeDeck: rows (batch entries) answered per model version.")
            .labelNames("model_name", "version")
            .build();
    private final MetricSourceCollector sources = new MetricSourceCollector();

    ServingMetrics(String serverVersion, boolean jvmMetrics) {
        registry.register(requestCount);
        registry.register(requestLatency);
        registry.register(runtimeLatency);
        registry.register(exampleCounts);
        registry.register(exampleCountTotal);
        registry.register(versionRequests);
        registry.register(versionLatency);
        registry.register(versionRows);
        registry.register(sources);
        Info buildInfo = Info.builder().name("servedeck_build_info")
                .help("ServeDeck: the running build.").labelNames("version", "tensorflow_java").build();
        buildInfo.addLabelValues(serverVersion, "1.1.0");
        registry.register(buildInfo);
        if (jvmMetrics) {
            // Heap and non-heap memory, GC, threads, classes, plus process metrics: CPU, open files,
            // resident memory (native RSS, where TensorFlow's memory shows), start time.
            JvmMetrics.builder().register(registry);
        }
    }

    PrometheusRegistry registry() {
        return registry;
    }

    private final Map<SeriesKey, Series> seriesByKey = new ConcurrentHashMap<>();

    void record(CompletedRequest request) {
        SeriesKey key = new SeriesKey(request.model(), request.version(), request.signature(), request.api(),
                request.entrypoint(), request.status());
        Series series = seriesByKey.get(key);
        if (series == null) {
            series = seriesByKey.computeIfAbsent(key, this::newSeries);
        }
        double micros = request.latencyMicros();
        series.requestCount.increment();
        series.requestLatency.observe(micros);
        series.versionRequests.inc();
        series.versionLatency.observe(micros);
        if (request.examples() > 0) {
            series.exampleCounts.observe(request.examples());
            series.exampleCountTotal.inc(request.examples());
        }
        if (request.ok() && request.rows() > 0) {
            series.versionRows.inc(request.rows());
        }
    }

    /**
     * The data points one kind of request updates, looked up once per label combination rather than six
     * times per request (each lookup builds a label list and probes a concurrent map).
     */
    private record Series(LongAdder requestCount, DistributionDataPoint requestLatency, CounterDataPoint versionRequests,
            DistributionDataPoint versionLatency, CounterDataPoint versionRows, DistributionDataPoint exampleCounts,
            CounterDataPoint exampleCountTotal) {
    }

    private record SeriesKey(String model, long version, String signature, String api, String entrypoint, Code status) {
    }

    private Series newSeries(SeriesKey key) {
        String status = key.status().name();
        String version = key.version() == CompletedRequest.UNKNOWN_VERSION ? "" : Long.toString(key.version());
        return new Series(
                requestCount.cell(key.model(), status),
                requestLatency.labelValues(key.model(), key.api(), key.entrypoint(), status),
                versionRequests.labelValues(key.model(), version, key.signature(), key.api(), key.entrypoint(), status),
                versionLatency.labelValues(key.model(), version, key.signature(), key.api(), key.entrypoint()),
                // Created only where they can move, so a scrape shows no series that never will.
                key.status() == Code.OK ? versionRows.labelValues(key.model(), version) : null,
                key.api().equals("Predict") ? null : exampleCounts.labelValues(key.model()),
                key.api().equals("Predict") ? null : exampleCountTotal.labelValues(key.model()));
    }

    /** TF Serving's runtime latency is the whole model call: every phase of it. */
    @Override
    public void record(ModelRun run) {
        runtimeLatency.labelValues(run.servable().name(), run.api(), RUNTIME)
                .observe(run.phases().totalNanos() / 1_000);
    }

    AutoCloseable addSource(MetricSource source) {
        return sources.add(source);
    }

    /** TF Serving's {@code Buckets::Exponential}: {@code count} bounds from {@code scale}, times {@code growth}. */
    static double[] exponential(double scale, double growth, int count) {
        double[] bounds = new double[count];
        double bound = scale;
        for (int i = 0; i < count; i++) {
            bounds[i] = bound;
            bound *= growth;
        }
        return bounds;
    }
}
