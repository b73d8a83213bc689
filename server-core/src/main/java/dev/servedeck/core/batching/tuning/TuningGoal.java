package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the tuner looks for and how much load it may send to find it.
 *
 * @param p99Target the latency target: a concurrency level meets it when its p99 is at most this and no request
 *     failed
 * @param levels the concurrency levels each step climbs (1, 2, 4 ... 64 by default), stopping at the first that
 *     misses the target
 * @param perLevel how long each level is measured
 * @param warmUp sent before each level's measurement, not counted
 * @param maxRatePerSecond 0 for none; otherwise every level is an open loop at this rate (at most the level's
 *     concurrency in flight), so the tuner never sends more than this many requests per second
 * @param budget the whole search's time: no step starts after it, and a step running when it passes climbs no
 *     further
 */
public record TuningGoal(Duration p99Target, List<Integer> levels, Duration perLevel, Duration warmUp,
        double maxRatePerSecond, Duration budget) {

    public static final Duration DEFAULT_PER_LEVEL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_WARM_UP = Duration.ofMillis(500);
    public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(10);

    public TuningGoal {
        Objects.requireNonNull(p99Target, "p99Target");
        levels = List.copyOf(levels);
        if (p99Target.isNegative() || p99Target.isZero()) {
            throw new IllegalArgumentException("the p99 target must be positive");
        }
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("give at least one concurrency level");
        }
        if (perLevel.isNegative() || perLevel.isZero() || warmUp.isNegative() || budget.isNegative()
                || budget.isZero()) {
            throw new IllegalArgumentException("the time per level and the budget must be positive");
        }
        if (maxRatePerSecond < 0 || Double.isNaN(maxRatePerSecond) || Double.isInfinite(maxRatePerSecond)) {
            throw new IllegalArgumentException("the rate bound must be a positive number of requests per second, or 0");
        }
    }

    /** A p99 target with the default levels, times and budget, no rate bound. */
    public static TuningGoal p99(Duration target) {
        return new TuningGoal(target, SweepPlan.DEFAULT_LEVELS, DEFAULT_PER_LEVEL, DEFAULT_WARM_UP, 0, DEFAULT_BUDGET);
    }

    public TuningGoal withLevels(List<Integer> climb) {
        return new TuningGoal(p99Target, climb, perLevel, warmUp, maxRatePerSecond, budget);
    }

    public TuningGoal withPerLevel(Duration measured, Duration warm) {
        return new TuningGoal(p99Target, levels, measured, warm, maxRatePerSecond, budget);
    }

    public TuningGoal withMaxRate(double perSecond) {
        return new TuningGoal(p99Target, levels, perLevel, warmUp, perSecond, budget);
    }

    public TuningGoal withBudget(Duration total) {
        return new TuningGoal(p99Target, levels, perLevel, warmUp, maxRatePerSecond, total);
    }

    /** The one rule for "within the target": p99 at most the target, and nothing failed or went unsent. */
    public boolean meets(SweepPoint point) {
        return point.errors() == 0 && point.result().answered() > 0
                && point.p99Micros() <= p99Target.toNanos() / 1e3;
    }

    /**
     * Whether a step climbs no higher after this level: it missed the target. Except that under a rate bound a level
     * that only fell behind the rate (requests unsent for want of a free connection, none failed) says nothing about
     * the levels above it, which have more connections to hold the rate with.
     */
    public boolean lastLevel(SweepPoint point) {
        boolean onlyBehindTheRate = maxRatePerSecond > 0 && point.result().failed() == 0 && point.result().unsent() > 0;
        return !meets(point) && !onlyBehindTheRate;
    }

    /** What every step climbs. */
    public SweepPlan sweepPlan() {
        LoadPlan level = maxRatePerSecond > 0 ? LoadPlan.openLoop(maxRatePerSecond, 1, perLevel)
                : LoadPlan.closedLoop(1, perLevel);
        return new SweepPlan(levels, level.withWarmUp(warmUp));
    }

    /** The longest one step can take: every level, warm-up included. */
    public Duration longestStep() {
        return perLevel.plus(warmUp).multipliedBy(levels.size());
    }
}
