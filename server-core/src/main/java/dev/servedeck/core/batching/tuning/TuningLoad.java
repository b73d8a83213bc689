package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepProgress;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * How the tuner measures the parameters in force: load at rising concurrency until a rule says the latency target
 * broke. {@link SweepTuningLoad} sends real load with the load engine; the tuner's search tests put a model of a
 * server here instead (the engine is tested on its own).
 */
public interface TuningLoad {

    /**
     * Climbs the concurrency levels, one point per level, ending after the first point {@code lastLevel} matches.
     *
     * @param onPoint called after each level, on the measuring thread
     */
    SweepResult climb(Predicate<SweepPoint> lastLevel, Consumer<SweepPoint> onPoint) throws Exception;

    /** Stops the climb going on, if any (its level is cut short, no other starts). */
    void cancel();

    /** The climb going on, for live displays; null when none runs. */
    default SweepProgress progress() {
        return null;
    }
}
