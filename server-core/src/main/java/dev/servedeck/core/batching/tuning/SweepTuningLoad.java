package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.sweep.ConcurrencySweep;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepProgress;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The tuner's real measurement: a {@link ConcurrencySweep} of the goal's levels, through the load engine. The first
 * climb is preceded by an unmeasured sweep of every level for a moment: a model's first runs, and its first runs at
 * each batch size, are slow (TensorFlow optimizes a graph on its first calls, oneDNN builds kernels per shape, pools
 * fill), and that must not count against the parameters in force, which step 0 measures.
 */
public final class SweepTuningLoad implements TuningLoad {

    static final Duration SERVER_WARM_UP_PER_LEVEL = Duration.ofMillis(300);

    private final LoadRunner runner;
    private final TuningGoal goal;
    private volatile ConcurrencySweep current;
    private volatile ConcurrencySweep warming;
    private volatile boolean cancelled;
    private boolean warmedUp;

    public SweepTuningLoad(LoadRunner runner, TuningGoal goal) {
        this.runner = runner;
        this.goal = goal;
    }

    @Override
    public SweepResult climb(Predicate<SweepPoint> lastLevel, Consumer<SweepPoint> onPoint) throws Exception {
        if (!warmedUp) {
            warmedUp = true;
            warmUpTheServer();
        }
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

    /** Every level briefly, unmeasured: each batch size the steps will see has run once. */
    private void warmUpTheServer() throws Exception {
        SweepPlan plan = goal.sweepPlan();
        LoadPlan level = plan.perLevel();
        ConcurrencySweep warmUp = new ConcurrencySweep(runner, new SweepPlan(plan.levels(), new LoadPlan(1,
                level.ratePerSecond(), SERVER_WARM_UP_PER_LEVEL, 0, Duration.ZERO, level.timeout())));
        warming = warmUp;
        if (cancelled) {
            warmUp.cancel();
        }
        try {
            warmUp.run();
        } finally {
            warming = null;
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        ConcurrencySweep warmUp = warming;
        if (warmUp != null) {
            warmUp.cancel();
        }
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
