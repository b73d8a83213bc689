package dev.servedeck.console.monitor;

import dev.servedeck.core.metrics.ServingStatistics;
import dev.servedeck.core.metrics.StatisticsScope;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * What the charts show: every model together, one model (all its versions) or one model version.
 *
 * @param model the model's name; empty for every model
 * @param version the version; {@link #ANY_VERSION} for all versions of {@code model}
 */
public record MonitorScope(String model, long version) implements Comparable<MonitorScope> {

    public static final long ANY_VERSION = StatisticsScope.ANY_VERSION;
    public static final MonitorScope ALL = new MonitorScope("", ANY_VERSION);

    /** Every model first, then models by name, each followed by its versions in ascending order. */
    private static final Comparator<MonitorScope> ORDER = Comparator.comparing(MonitorScope::model)
            .thenComparingLong(MonitorScope::version);

    public MonitorScope {
        Objects.requireNonNull(model, "model");
        if (model.isEmpty() && version != ANY_VERSION) {
            throw new IllegalArgumentException("A version needs a model");
        }
    }

    public static MonitorScope ofModel(String name) {
        return new MonitorScope(name, ANY_VERSION);
    }

    public static MonitorScope ofVersion(String name, long version) {
        return new MonitorScope(name, version);
    }

    public boolean isAll() {
        return model.isEmpty();
    }

    public boolean isVersion() {
        return version != ANY_VERSION;
    }

    /** The statistics of this scope in {@code snapshot}; empty when it had no traffic lately. */
    public Optional<ServingStatistics> statisticsIn(StatisticsSnapshot snapshot) {
        return statisticsScope().statisticsIn(snapshot);
    }

    /** The same scope as the server core names it (and the admin API streams it). */
    public StatisticsScope statisticsScope() {
        return new StatisticsScope(model, version);
    }

    /** The REST path that predicts on this scope: the model's latest version, or this version. */
    public String predictPath() {
        if (isAll()) {
            throw new IllegalStateException("Every model together cannot be sent a request");
        }
        return "/v1/models/" + model + (isVersion() ? "/versions/" + version : "") + ":predict";
    }

    /** What the operator reads in the scope and target lists. */
    public String label() {
        if (isAll()) {
            return "All models";
        }
        return isVersion() ? model + "  v" + version : model;
    }

    @Override
    public int compareTo(MonitorScope other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return label();
    }
}
