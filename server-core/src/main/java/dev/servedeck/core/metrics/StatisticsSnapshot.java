package dev.servedeck.core.metrics;

import dev.servedeck.core.servable.ServableId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Live statistics at one moment, immutable. Built once per window step by the statistics thread, so
 * reading one is a field read: a chart may poll it as often as it likes without touching request threads.
 *
 * @param takenAt when the last window step closed
 * @param overall every model together
 * @param models by model name (requests that failed before a version was chosen count here and overall)
 * @param versions by model version
 */
public record StatisticsSnapshot(
        Instant takenAt,
        ServingStatistics overall,
        Map<String, ServingStatistics> models,
        Map<ServableId, ServingStatistics> versions) {

    public StatisticsSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(overall, "overall");
        models = Map.copyOf(models);
        versions = Map.copyOf(versions);
    }
}
