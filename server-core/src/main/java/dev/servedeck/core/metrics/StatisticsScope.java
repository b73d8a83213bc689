package dev.servedeck.core.metrics;

import dev.servedeck.core.servable.ServableId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose numbers: every model together, one model (all its versions) or one model version.
 *
 * @param model the model's name; empty for every model
 * @param version the version; {@link #ANY_VERSION} for all versions of {@code model}
 */
public record StatisticsScope(String model, long version) implements Comparable<StatisticsScope> {

    public static final long ANY_VERSION = -1;
    public static final StatisticsScope ALL = new StatisticsScope("", ANY_VERSION);

    /** Every model first, then models by name, each followed by its versions in ascending order. */
    private static final Comparator<StatisticsScope> ORDER = Comparator.comparing(StatisticsScope::model)
            .thenComparingLong(StatisticsScope::version);

    public StatisticsScope {
        Objects.requireNonNull(model, "model");
        if (model.isEmpty() && version != ANY_VERSION) {
            throw new IllegalArgumentException("A version needs a model");
        }
    }

    public static StatisticsScope ofModel(String name) {
        return new StatisticsScope(name, ANY_VERSION);
    }

    public static StatisticsScope ofVersion(String name, long version) {
        return new StatisticsScope(name, version);
    }

    public boolean isAll() {
        return model.isEmpty();
    }

    public boolean isVersion() {
        return version != ANY_VERSION;
    }

    /** The statistics of this scope in {@code snapshot}; empty when it had no traffic lately. */
    public Optional<ServingStatistics> statisticsIn(StatisticsSnapshot snapshot) {
        if (isAll()) {
            return Optional.of(snapshot.overall());
        }
        if (isVersion()) {
            return Optional.ofNullable(snapshot.versions().get(new ServableId(model, version)));
        }
        return Optional.ofNullable(snapshot.models().get(model));
    }

    /** Every scope with numbers in {@code snapshot}, in {@link #compareTo order}: the whole server first. */
    public static List<StatisticsScope> allIn(StatisticsSnapshot snapshot) {
        List<StatisticsScope> scopes = new ArrayList<>();
        scopes.add(ALL);
        snapshot.models().keySet().forEach(name -> scopes.add(ofModel(name)));
        snapshot.versions().keySet().forEach(id -> scopes.add(ofVersion(id.name(), id.version())));
        scopes.sort(null);
        return scopes;
    }

    @Override
    public int compareTo(StatisticsScope other) {
        return ORDER.compare(this, other);
    }
}
