package dev.servedeck.core.metrics;

import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.servable.ServableId;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Live numbers for the console: per model version, per model and overall, over a short window (the last
 * {@link LiveStatisticsOptions#resolution()}) and a long one (the last minute by default): throughput,
 * rows, latency percentiles and errors by code; with batching, the mean batch size and queue depth.
 *
 * <p>Request threads {@link #record} without locks. {@link #roll()} (the monitoring thread, once per
 * resolution; tests call it with a fake clock) closes the current interval of every key and publishes a
 * new immutable {@link StatisticsSnapshot}, which {@link #snapshot()} returns with one volatile read.
 */
public final class LiveStatistics {

    private final LiveStatisticsOptions options;
    private final Clock clock;
    private final RollingWindow overall;
    private final Map<String, RollingWindow> models = new ConcurrentHashMap<>();
    private final Map<ServableId, RollingWindow> versions = new ConcurrentHashMap<>();
    private volatile StatisticsSnapshot snapshot;
    /** The batch scheduler's statistics, or null when batching is off. Guarded by this. */
    private Supplier<BatchingStats> batching;
    private BatchingStats lastBatching = BatchingStats.NONE;

    public LiveStatistics(LiveStatisticsOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.overall = new RollingWindow(options.longWindowIntervals());
        this.snapshot = new StatisticsSnapshot(clock.instant(), overall.statistics(options.resolution()), Map.of(),
                Map.of(), Optional.empty());
    }

    public LiveStatisticsOptions options() {
        return options;
    }

    /** Counts one finished call. Lock-free; called on request threads. */
    public void record(CompletedRequest request) {
        overall.record(request);
        models.computeIfAbsent(request.model(), name -> new RollingWindow(options.longWindowIntervals()))
                .record(request);
        if (request.version() != CompletedRequest.UNKNOWN_VERSION) {
            versions.computeIfAbsent(new ServableId(request.model(), request.version()),
                    id -> new RollingWindow(options.longWindowIntervals())).record(request);
        }
    }

    /**
     * Adds batching to every following snapshot: the scheduler's statistics are read once per step and
     * compared with the previous step's.
     */
    public synchronized void watchBatching(Supplier<BatchingStats> stats) {
        batching = stats;
        lastBatching = stats.get();
    }

    /** The latest published statistics: immutable, never blocks. */
    public StatisticsSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Closes the current interval and publishes a new snapshot. The monitoring thread calls this once per
     * resolution; calls are serialized.
     */
    public synchronized StatisticsSnapshot roll() {
        overall.roll();
        Map<String, ServingStatistics> byModel = rollAll(models);
        Map<ServableId, ServingStatistics> byVersion = rollAll(versions);
        StatisticsSnapshot next = new StatisticsSnapshot(clock.instant(), overall.statistics(options.resolution()),
                byModel, byVersion, rollBatching());
        snapshot = next;
        return next;
    }

    private Optional<BatchingActivity> rollBatching() {
        if (batching == null) {
            return Optional.empty();
        }
        BatchingStats now = batching.get();
        BatchingActivity activity = BatchingActivity.between(lastBatching, now, options.resolution());
        lastBatching = now;
        return Optional.of(activity);
    }

    /**
     * Rolls every key; keys idle for a whole long window are forgotten so that memory stays bounded as
     * versions come and go. (A request recorded on a key in the instant it is forgotten is lost: a
     * trade-off for never locking request threads, and only possible on a key idle for a full window.)
     */
    private <K> Map<K, ServingStatistics> rollAll(Map<K, RollingWindow> windows) {
        Map<K, ServingStatistics> statistics = new HashMap<>();
        windows.forEach((key, window) -> {
            window.roll();
            if (window.idle()) {
                windows.remove(key, window);
            } else {
                statistics.put(key, window.statistics(options.resolution()));
            }
        });
        return statistics;
    }
}
