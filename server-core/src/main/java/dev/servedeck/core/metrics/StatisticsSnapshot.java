package dev.servedeck.core.metrics;

import dev.servedeck.core.servable.ServableId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Live statistics at one moment, immutable. Built once per window step by the statistics thread, so
 * reading one is a field read: a chart may poll it as often as it likes without touching request threads.
 *
 * @param takenAt when the last window step closed
 * @param overall every model together
 * @param models by model name (requests that failed before a version was chosen count here and overall)
 * @param versions by model version
 * @param batching batching over the short window, every model together; empty when batching is off
 */
public record StatisticsSnapshot(
        Instant takenAt,
        ServingStatistics overall,
        Map<String, ServingStatistics> models,
        Map<ServableId, ServingStatistics> versions,
        Optional<BatchingActivity> batching) {

    public StatisticsSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(overall, "overall");
        models = Map.copyOf(models);
        versions = Map.copyOf(versions);
        Objects.requireNonNull(batching, "batching");
    }
}
