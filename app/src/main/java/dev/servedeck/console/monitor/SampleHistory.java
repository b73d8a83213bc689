package dev.servedeck.console.monitor;

import dev.servedeck.core.metrics.StatisticsSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent samples of every scope, oldest first, bounded twice: by age (relative to the newest sample)
 * and by count, so memory stays flat however long the console runs. Not thread-safe: the FX thread owns it.
 */
final class SampleHistory {

    /** Samples further apart than this were not taken in between (server stopped): the line breaks. */
    static final long GAP_MILLIS = 5_000;

    private final long keepMillis;
    private final int maxSamples;
    private final Map<MonitorScope, ArrayDeque<StatisticsSample>> byScope = new HashMap<>();

    /**
     * @param keep how far back samples are kept
     * @param maxSamples the most samples kept per scope, whatever their times
     */
    SampleHistory(Duration keep, int maxSamples) {
        this.keepMillis = keep.toMillis();
        this.maxSamples = maxSamples;
    }

    void append(MonitorScope scope, StatisticsSample sample) {
        ArrayDeque<StatisticsSample> samples = byScope.computeIfAbsent(scope, ignored -> new ArrayDeque<>());
        StatisticsSample last = samples.peekLast();
        if (last != null && sample.timeMillis() - last.timeMillis() > GAP_MILLIS) {
            samples.addLast(StatisticsSample.gap(last.timeMillis() + 1));
        }
        samples.addLast(sample);
        long oldest = sample.timeMillis() - keepMillis;
        while (samples.size() > maxSamples || samples.peekFirst().timeMillis() < oldest) {
            samples.removeFirst();
        }
    }

    /** The samples of {@code scope} no older than {@code window} before its newest one, oldest first. */
    List<StatisticsSample> recent(MonitorScope scope, Duration window) {
        ArrayDeque<StatisticsSample> samples = byScope.get(scope);
        if (samples == null || samples.isEmpty()) {
            return List.of();
        }
        long from = samples.peekLast().timeMillis() - window.toMillis();
        List<StatisticsSample> recent = new ArrayList<>();
        for (StatisticsSample sample : samples) {
            if (sample.timeMillis() >= from) {
                recent.add(sample);
            }
        }
        return recent;
    }

    /** The newest sample of {@code scope}. */
    Optional<StatisticsSample> newest(MonitorScope scope) {
        ArrayDeque<StatisticsSample> samples = byScope.get(scope);
        return samples == null ? Optional.empty() : Optional.ofNullable(samples.peekLast());
    }

    /** Forgets the scopes not in {@code scopes} (models removed, versions unloaded). */
    void retainOnly(Collection<MonitorScope> scopes) {
        byScope.keySet().retainAll(scopes);
    }

    int size(MonitorScope scope) {
        ArrayDeque<StatisticsSample> samples = byScope.get(scope);
        return samples == null ? 0 : samples.size();
    }

    int totalSize() {
        return byScope.values().stream().mapToInt(ArrayDeque::size).sum();
    }
}
