package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import java.util.List;
import java.util.Optional;

/**
 * One set of parameters, applied and measured.
 *
 * @param number 0 for the parameters the tuner started from, then 1, 2 ...
 * @param change what this step changed, e.g. {@code max_batch_size 64} ("the parameters in force" for step 0)
 * @param points the concurrency levels climbed, up to the first that missed the target
 * @param best the level with the most rows/s among those within the target; empty when none was
 * @param refused the server's reason when it refused the parameters (no points then); null when applied
 */
public record TuningStep(int number, BatchingOptions options, String change, List<SweepPoint> points,
        Optional<SweepPoint> best, String refused) {

    public TuningStep {
        points = List.copyOf(points);
    }

    /** Rows/s at the best level within the target; 0 when none was within it. */
    public double score() {
        return best.map(SweepPoint::rowsPerSecond).orElse(0.0);
    }

    public boolean withinTarget() {
        return best.isPresent();
    }
}
