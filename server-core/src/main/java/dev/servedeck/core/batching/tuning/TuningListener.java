package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.sweep.SweepPoint;

/** Follows a search as it runs; called on the tuner's thread. */
public interface TuningListener {

    default void stepStarted(int number, BatchingOptions options, String change) {
    }

    default void levelMeasured(int step, SweepPoint point) {
    }

    default void stepDone(TuningStep step) {
    }
}
