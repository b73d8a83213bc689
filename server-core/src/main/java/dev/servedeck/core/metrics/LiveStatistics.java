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
    /** One window per model version; calls that failed before a version was chosen use UNKNOWN_VERSION. */
    private final Map<ServableId, RollingWindow> windows = new ConcurrentHashMap<>();
    /** Steps taken, capped at the long window's intervals: how much time the overall long window covers. */
    private int overallIntervals;
    private volatile StatisticsSnapshot snapshot;
    /** The batch scheduler's statistics, or null when batching is off. Guarded by this. */
    private Supplier<BatchingStats> batching;
    private BatchingStats lastBatching = BatchingStats.NONE;

    public LiveStatistics(LiveStatisticsOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.snapshot = new StatisticsSnapshot(clock.instant(), new RollingWindow.Sum().statistics(options.resolution()),
                Map.of(), Map.of(), Optional.empty());
    }

    public LiveStatisticsOptions options() {
        return options;
    }

    /**
     * Counts one finished call, in its version's window only (models and the total are summed when rolling).
     * Lock-free; called on request threads.
     */
    public void record(CompletedRequest request) {
        ServableId id = new ServableId(request.model(), request.version());
        RollingWindow window = windows.get(id);
        if (window == null) {
            window = windows.computeIfAbsent(id, key -> new RollingWindow(options.longWindowIntervals()));
        }
        window.record(request);
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
        overallIntervals = Math.min(overallIntervals + 1, options.longWindowIntervals());
        RollingWindow.Sum overall = new RollingWindow.Sum();
        Map<String, RollingWindow.Sum> models = new HashMap<>();
        Map<ServableId, ServingStatistics> byVersion = new HashMap<>();
        windows.forEach((id, window) -> {
            window.roll();
            if (window.idle()) {
                windows.remove(id, window);
                return;
            }
            overall.add(window);
            models.computeIfAbsent(id.name(), name -> new RollingWindow.Sum()).add(window);
            if (id.version() != CompletedRequest.UNKNOWN_VERSION) {
                byVersion.put(id, window.statistics(options.resolution()));
            }
        });
        Map<String, ServingStatistics> byModel = new HashMap<>();
        models.forEach((name, sum) -> byModel.put(name, sum.statistics(options.resolution())));
        StatisticsSnapshot next = new StatisticsSnapshot(clock.instant(),
                overall.statistics(options.resolution(), overallIntervals), byModel, byVersion, rollBatching());
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
}
