package dev.servedeck.core.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls every registered {@link MetricSource} at scrape time and turns what they report into snapshots. */
final class MetricSourceCollector implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(MetricSourceCollector.class);

    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();

    AutoCloseable add(MetricSource source) {
        MetricSource registration = source::report;
        sources.add(registration);
        return () -> sources.remove(registration);
    }

    @Override
    public MetricSnapshots collect() {
        Families families = new Families();
        for (MetricSource source : sources) {
            try {
                source.report(families);
            } catch (RuntimeException e) {
                LOG.warn("A metric source failed; its metrics are left out of this scrape", e);
            }
        }
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        families.byName.values().forEach(family -> snapshots.metricSnapshot(family.get()));
        return snapshots.build();
    }

    /** Collects data points per family name, keeping the first help text seen. */
    private static final class Families implements MetricSink {

        private final Map<String, Supplier<MetricSnapshot>> byName = new LinkedHashMap<>();
        private final Map<String, Object> builders = new LinkedHashMap<>();

        @Override
        public void gauge(String name, String help, Map<String, String> labels, double value) {
            GaugeSnapshot.Builder family = family(name, () -> GaugeSnapshot.builder().name(name).help(help),
                    GaugeSnapshot.Builder.class);
            family.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(labels)).value(value).build());
        }

        @Override
        public void counter(String name, String help, Map<String, String> labels, double value) {
            UnknownSnapshot.Builder family = family(name, () -> UnknownSnapshot.builder().name(name).help(help),
                    UnknownSnapshot.Builder.class);
            family.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().labels(labels(labels)).value(value)
                    .build());
        }

        @Override
        public void histogram(String name, String help, Map<String, String> labels, double[] upperBounds,
                long[] bucketCounts, double sum) {
            double[] bounds = upperBounds;
            if (bounds.length == 0 || bounds[bounds.length - 1] != Double.POSITIVE_INFINITY) {
                bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
                bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
            }
            long[] counts = bucketCounts.length == bounds.length ? bucketCounts : Arrays.copyOf(bucketCounts, bounds.length);
            HistogramSnapshot.Builder family = family(name, () -> HistogramSnapshot.builder().name(name).help(help),
                    HistogramSnapshot.Builder.class);
            family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(labels(labels))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(sum)
                    .build());
        }

        private <B extends MetricSnapshot.Builder<?>> B family(String name, Supplier<B> create, Class<B> kind) {
            Object builder = builders.get(name);
            if (builder == null) {
                B created = create.get();
                builders.put(name, created);
                byName.put(name, created::build);
                return created;
            }
            if (!kind.isInstance(builder)) {
                throw new IllegalArgumentException("Metric " + name + " reported as two different kinds");
            }
            return kind.cast(builder);
        }

        private static Labels labels(Map<String, String> labels) {
            Labels.Builder builder = Labels.builder();
            labels.forEach(builder::label);
            return builder.build();
        }
    }
}
