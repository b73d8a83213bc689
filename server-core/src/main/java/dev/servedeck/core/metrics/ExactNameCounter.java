package dev.servedeck.core.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter exposed under exactly the name it was given. TF Serving exports its counters without the
 * {@code _total} suffix ({@code :tensorflow:serving:request_count}); the client library's Counter always
 * appends it, which would break every existing dashboard. So these counters are exposed as the untyped
 * ({@code unknown} in OpenMetrics) metric family the library offers for exactly such names; PromQL's
 * {@code rate()} works on them as on any counter. Counting is a lock-free {@link LongAdder} per label set.
 */
final class ExactNameCounter implements Collector {

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final Map<List<String>, LongAdder> cells = new ConcurrentHashMap<>();

    ExactNameCounter(String name, String help, String... labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames.clone();
    }

    void add(long amount, String... labelValues) {
        cell(labelValues).add(amount);
    }

    /** The cell of one label combination, for callers that keep it rather than look it up each time. */
    LongAdder cell(String... labelValues) {
        if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labelNames));
        }
        return cells.computeIfAbsent(List.of(labelValues), key -> new LongAdder());
    }

    long value(String... labelValues) {
        LongAdder cell = cells.get(List.of(labelValues));
        return cell == null ? 0 : cell.sum();
    }

    @Override
    public MetricSnapshot collect() {
        UnknownSnapshot.Builder snapshot = UnknownSnapshot.builder().name(name).help(help);
        cells.forEach((values, cell) -> snapshot.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
                .labels(Labels.of(labelNames, values.toArray(String[]::new)))
                .value(cell.sum())
                .build()));
        return snapshot.build();
    }
}
