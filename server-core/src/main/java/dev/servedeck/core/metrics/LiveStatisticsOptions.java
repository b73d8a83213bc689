package dev.servedeck.core.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * The rolling windows of {@link LiveStatistics}.
 *
 * @param resolution the short window, and the step by which the long one rolls (default 1 s)
 * @param longWindowIntervals how many resolutions the long window spans (default 60: the last minute)
 */
public record LiveStatisticsOptions(Duration resolution, int longWindowIntervals) {

    public LiveStatisticsOptions {
        Objects.requireNonNull(resolution, "resolution");
        if (resolution.isNegative() || resolution.isZero() || longWindowIntervals < 1) {
            throw new IllegalArgumentException("resolution and longWindowIntervals must be positive");
        }
    }

    public static LiveStatisticsOptions defaults() {
        return new LiveStatisticsOptions(Duration.ofSeconds(1), 60);
    }

    public Duration longWindow() {
        return resolution.multipliedBy(longWindowIntervals);
    }
}
