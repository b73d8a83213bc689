package dev.servedeck.core.loadgen.sweep;

import dev.servedeck.core.loadgen.LoadPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A concurrency sweep: the same load at each level in turn, one point per level.
 *
 * @param levels concurrency levels in the order they run (rising, for a latency-throughput curve)
 * @param perLevel what each level runs (duration or request count, warm-up, timeout, an open loop's rate); its
 *     concurrency is replaced by the level's
 */
public record SweepPlan(List<Integer> levels, LoadPlan perLevel) {

    /** The default levels: 1, 2, 4 ... 64. */
    public static final List<Integer> DEFAULT_LEVELS = doubling(1, 64);

    public SweepPlan {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one concurrency level");
        }
        for (int level : levels) {
            if (level < 1) {
                throw new IllegalArgumentException("concurrency levels must be at least 1, not " + level);
            }
        }
    }

    /** The plan of one level. */
    public LoadPlan plan(int level) {
        return perLevel.withConcurrency(level);
    }

    /** {@code from}, twice that, ... up to {@code to} (and {@code to} itself when it is not a power of two away). */
    public static List<Integer> doubling(int from, int to) {
        List<Integer> levels = new ArrayList<>();
        for (long level = Math.max(1, from); level <= to; level *= 2) {
            levels.add((int) level);
        }
        if (levels.isEmpty() || levels.get(levels.size() - 1) != to) {
            levels.add(to);
        }
        return List.copyOf(levels);
    }

    /** {@code 1,2,4,8}; blank for {@link #DEFAULT_LEVELS}. */
    public static List<Integer> parseLevels(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LEVELS;
        }
        List<Integer> levels = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                levels.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "concurrency levels are whole numbers separated by commas (1,2,4,8), not '%s'", text));
            }
        }
        return List.copyOf(levels);
    }

    /** {@code c1, c2, c4 ... each for 5s}. */
    public String describe() {
        return "c" + String.join(", c", levels.stream().map(String::valueOf).toList()) + ", each "
                + perLevel.describe().replaceFirst("^c\\d+ ", "").replaceFirst("\\(at most \\d+ in flight\\) ", "");
    }
}
