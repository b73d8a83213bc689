package dev.servedeck.console.monitor;

import dev.servedeck.core.metrics.BatchingActivity;
import dev.servedeck.core.metrics.ServingStatistics;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.metrics.WindowStatistics;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Hand-built statistics snapshots, as the server publishes them every half second. */
final class Snapshots {

    static final Duration STEP = Duration.ofMillis(500);
    static final Instant START = Instant.parse("2026-11-25T15:30:00Z");

    private final Map<String, ServingStatistics> models = new HashMap<>();
    private final Map<ServableId, ServingStatistics> versions = new HashMap<>();
    private ServingStatistics overall = serving(0, 0, 0, Map.of());
    private Optional<BatchingActivity> batching = Optional.empty();

    static Snapshots at() {
        return new Snapshots();
    }

    /** Throughput {@code perSecond} over one step, p50/p95/p99 from {@code p50Micros} x1, x2, x4. */
    static ServingStatistics serving(double perSecond, long rowsPerRequest, long p50Micros, Map<Code, Long> errors) {
        long requests = Math.round(perSecond * STEP.toNanos() / 1e9);
        WindowStatistics window = new WindowStatistics(STEP, requests, requests * rowsPerRequest, perSecond,
                perSecond * rowsPerRequest, p50Micros, p50Micros * 2, p50Micros * 4, p50Micros * 5, errors);
        return new ServingStatistics(window, window);
    }

    Snapshots overall(double perSecond, long p50Micros) {
        overall = serving(perSecond, 1, p50Micros, Map.of());
        return this;
    }

    Snapshots overall(ServingStatistics statistics) {
        overall = statistics;
        return this;
    }

    Snapshots model(String name, double perSecond, long p50Micros) {
        models.put(name, serving(perSecond, 1, p50Micros, Map.of()));
        return this;
    }

    Snapshots version(String name, long version, double perSecond, long p50Micros) {
        versions.put(new ServableId(name, version), serving(perSecond, 1, p50Micros, Map.of()));
        return this;
    }

    Snapshots batching(long batches, long rows, int queuedTasks) {
        batching = Optional.of(new BatchingActivity(STEP, batches, rows, queuedTasks, queuedTasks));
        return this;
    }

    /** The snapshot of step {@code step} (0, 1, ...). */
    StatisticsSnapshot step(long step) {
        return new StatisticsSnapshot(START.plus(STEP.multipliedBy(step)), overall, models, versions, batching);
    }
}
