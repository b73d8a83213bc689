package dev.servedeck.core.metrics;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Model loading as TensorFlow's SavedModel loader reports it ({@code :tensorflow:cc:saved_model:load_attempt_count
 * {model_path,status}} with status {@code success}/{@code fail}, and {@code load_latency{model_path}}, the
 * summed microseconds of successful loads), plus ServeDeck's {@code servedeck_model_version_state}
 * gauge (1 for the state each version is in). Fed by the servable state events: a load runs from its
 * LOADING event to its AVAILABLE (or failed END) event, timed by the events' own clock.
 */
final class ModelLifecycleMetrics implements Consumer<ServableState>, Collector {

    private final Function<ServableId, String> modelPath;
    private final Supplier<Map<String, SortedMap<Long, ServableState>>> states;
    private final Map<ServableId, Instant> loadingSince = new ConcurrentHashMap<>();
    private final ExactNameCounter loadAttempts = new ExactNameCounter(":tensorflow:cc:saved_model:load_attempt_count",
            "The number of times a SavedModel was successfully loaded.", "model_path", "status");
    private final ExactNameCounter loadLatency = new ExactNameCounter(":tensorflow:cc:saved_model:load_latency",
            "Latency in microseconds for SavedModels that were successfully loaded.", "model_path");

    /**
     * @param modelPath the version folder a servable was loaded from (TF's {@code model_path} label)
     * @param states the latest state of every version, read at scrape time
     */
    ModelLifecycleMetrics(Function<ServableId, String> modelPath,
            Supplier<Map<String, SortedMap<Long, ServableState>>> states) {
        this.modelPath = modelPath;
        this.states = states;
    }

    Collector loadAttempts() {
        return loadAttempts;
    }

    Collector loadLatency() {
        return loadLatency;
    }

    @Override
    public void accept(ServableState state) {
        ServableId id = state.id();
        if (state.state() == ManagerState.LOADING) {
            loadingSince.put(id, state.time());
            return;
        }
        if (state.state() != ManagerState.AVAILABLE && state.state() != ManagerState.END) {
            return;
        }
        Instant started = loadingSince.remove(id);
        if (started == null) {
            return;
        }
        String path = modelPath.apply(id);
        if (state.state() == ManagerState.AVAILABLE) {
            loadAttempts.add(1, path, "success");
            loadLatency.add(Duration.between(started, state.time()).toNanos() / 1_000, path);
        } else if (state.failed()) {
            loadAttempts.add(1, path, "fail");
        }
    }

    @Override
    public MetricSnapshot collect() {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("servedeck_model_version_state")
                .help("ServeDeck: 1 for the state (START, LOADING, AVAILABLE, UNLOADING, END) each model version is in.");
        states.get().forEach((model, versions) -> versions.forEach((version, state) ->
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("model_name", model, "version", Long.toString(version),
                                "state", state.state().name()))
                        .value(1)
                        .build())));
        return gauge.build();
    }
}
