package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.sweep.ConcurrencySweep;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepProgress;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The tuner's real measurement: a {@link ConcurrencySweep} of the goal's levels, through the load engine. */
public final class SweepTuningLoad implements TuningLoad {

    private final LoadRunner runner;
    private final TuningGoal goal;
    private volatile ConcurrencySweep current;
    private volatile boolean cancelled;

    public SweepTuningLoad(LoadRunner runner, TuningGoal goal) {
        this.runner = runner;
        this.goal = goal;
    }

    @Override
    public SweepResult climb(Predicate<SweepPoint> lastLevel, Consumer<SweepPoint> onPoint) throws Exception {
        ConcurrencySweep sweep = new ConcurrencySweep(runner, goal.sweepPlan()).lastLevelWhen(lastLevel).onPoint(onPoint);
        current = sweep;
        if (cancelled) {
            sweep.cancel();
        }
        try {
            return sweep.run();
        } finally {
            current = null;
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        ConcurrencySweep sweep = current;
        if (sweep != null) {
            sweep.cancel();
        }
    }

    @Override
    public SweepProgress progress() {
        ConcurrencySweep sweep = current;
        return sweep == null ? null : sweep.progress();
    }
}
