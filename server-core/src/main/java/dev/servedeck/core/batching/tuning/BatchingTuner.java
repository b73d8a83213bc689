package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds batching parameters with the most throughput within a latency target, on the live server.
 *
 * <p>Each step applies a set of parameters live through a {@link BatchingControl} and measures them with a
 * {@link TuningLoad}: concurrency 1, 2, 4 ... until a level misses the target; the step's score is the most rows/s
 * of a level that met it. Step 0 measures the parameters in force, so a proposal is always compared with what the
 * server has.
 *
 * <p>The search is a coordinate search with pruning, not the whole grid (5 x 3 x 5 steps of up to 7 levels would
 * take an hour): for {@code max_batch_size}, then {@code num_batch_threads}, then {@code batch_timeout_micros}, it
 * tries the grid's values moving away from the best so far, upwards first. A direction ends at the first value that
 * does not beat the best ({@link #beats}: {@value #MARGIN_PERCENT}% more rows/s, or as many at a
 * {@value #LATENCY_MARGIN_PERCENT}% lower p99; throughput against one parameter rises to a peak and falls: past a
 * worse value, further values are worse still, and a smaller gain is this machine's noise); the downward
 * direction is tried only when going up gained nothing. The next parameter starts from the best found. Typically
 * 6-9 steps.
 *
 * <p>Whatever happens (done, stopped, out of budget, failed), the parameters it started from are applied again
 * before {@link #run} returns: the proposal changes nothing until someone applies it.
 */
public final class BatchingTuner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingTuner.class);
    static final int MARGIN_PERCENT = 5;
    /** As many rows/s (within the margin) at a p99 this much lower also wins: under a rate bound, throughput ties. */
    static final int LATENCY_MARGIN_PERCENT = 10;
    private static final List<TunedParameter> ORDER = List.of(TunedParameter.MAX_BATCH_SIZE,
            TunedParameter.NUM_BATCH_THREADS, TunedParameter.BATCH_TIMEOUT_MICROS);

    private final BatchingControl control;
    private final TuningLoad load;
    private final TuningGoal goal;
    private final TuningSpace space;
    private final Clock clock;
    private TuningListener listener = new TuningListener() { };
    private volatile boolean stopped;
    private volatile boolean started;
    private final CountDownLatch finished = new CountDownLatch(1);

    public BatchingTuner(BatchingControl control, TuningLoad load, TuningGoal goal, TuningSpace space, Clock clock) {
        this.control = control;
        this.load = load;
        this.goal = goal;
        this.space = space;
        this.clock = clock;
    }

    public BatchingTuner listener(TuningListener follower) {
        this.listener = follower;
        return this;
    }

    /** Stops the search: the level running is cut short, no other step starts, the parameters are restored. */
    public void stop() {
        stopped = true;
        load.cancel();
    }

    /** Stops, and waits (at most {@code wait}) until the parameters are restored: for a JVM that is exiting. */
    public void stopAndAwait(Duration wait) {
        stop();
        if (started) {
            try {
                finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Searches on the calling thread and restores the parameters it started from.
     *
     * @throws Exception when the parameters in force cannot be read (nothing was changed then)
     */
    public TuningResult run() throws Exception {
        started = true;
        try {
            return search();
        } finally {
            finished.countDown();
        }
    }

    private TuningResult search() throws Exception {
        BatchingOptions original = control.current();
        Search search = new Search(original, clock.instant().plus(goal.budget()));
        TuningResult.Ending ending;
        String failure = null;
        try {
            ending = search.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending = TuningResult.Ending.STOPPED;
        } catch (Exception e) {
            LOG.warn("Batching tuning failed: {}", e.toString());
            ending = stopped ? TuningResult.Ending.STOPPED : TuningResult.Ending.FAILED;
            failure = stopped ? null : String.valueOf(e.getMessage() != null ? e.getMessage() : e);
        }
        boolean restored = restore(original);
        // The best step by the search's own rule (a change counts only when it beat the best by the margin).
        Optional<TuningStep> proposal = Optional.ofNullable(search.best).filter(TuningStep::withinTarget);
        LOG.info("Batching tuning {}: {} steps, proposal {}, parameters {}", ending, search.steps.size(),
                proposal.map(TuningStep::change).orElse("none"), restored ? "restored" : "NOT restored");
        return new TuningResult(original, search.steps, proposal, ending, failure, restored);
    }

    private boolean restore(BatchingOptions original) {
        try {
            control.apply(original);
            return true;
        } catch (Exception e) {
            LOG.error("Could not restore the batching parameters the tuning started from: {}", e.toString());
            return false;
        }
    }

    /** One search's state. */
    private final class Search {
        final BatchingOptions original;
        final Instant deadline;
        final List<TuningStep> steps = new ArrayList<>();
        TuningStep best;

        Search(BatchingOptions original, Instant deadline) {
            this.original = original;
            this.deadline = deadline;
        }

        TuningResult.Ending run() throws Exception {
            best = measure(original, "the parameters in force");
            for (TunedParameter parameter : ORDER) {
                TuningResult.Ending cut = explore(parameter);
                if (cut != null) {
                    return cut;
                }
            }
            return TuningResult.Ending.COMPLETED;
        }

        /** Up from the best's value, then down if going up gained nothing; null when the search may go on. */
        private TuningResult.Ending explore(TunedParameter parameter) throws Exception {
            long start = parameter.valueIn(best.options());
            List<Long> values = space.values(parameter);
            List<Long> up = values.stream().filter(value -> value > start).toList();
            List<Long> down = new ArrayList<>(values.stream().filter(value -> value < start).toList());
            java.util.Collections.reverse(down);
            TuningStep before = best;
            TuningResult.Ending cut = walk(parameter, up);
            if (cut != null || best != before) {
                return cut;
            }
            return walk(parameter, down);
        }

        private TuningResult.Ending walk(TunedParameter parameter, List<Long> values) throws Exception {
            for (long value : values) {
                if (stopped) {
                    return TuningResult.Ending.STOPPED;
                }
                if (!clock.instant().isBefore(deadline)) {
                    return TuningResult.Ending.BUDGET_SPENT;
                }
                TuningStep step = measure(parameter.with(best.options(), value), parameter.field() + " " + value);
                if (stopped) {
                    return TuningResult.Ending.STOPPED; // a step cut short is no evidence either way
                }
                if (!beats(step, best)) {
                    break;
                }
                best = step;
            }
            return null;
        }

        private TuningStep measure(BatchingOptions options, String change) throws Exception {
            int number = steps.size();
            listener.stepStarted(number, options, change);
            TuningStep step;
            try {
                control.apply(options);
            } catch (Exception refused) {
                if (number == 0) {
                    throw refused; // the server's own parameters: nothing can be measured
                }
                step = new TuningStep(number, options, change, List.of(), Optional.empty(),
                        String.valueOf(refused.getMessage()));
                return done(step);
            }
            SweepResult climb = load.climb(point -> goal.lastLevel(point) || !clock.instant().isBefore(deadline),
                    point -> listener.levelMeasured(number, point));
            Optional<SweepPoint> within = climb.points().stream().filter(goal::meets)
                    .max(Comparator.comparingDouble(SweepPoint::rowsPerSecond));
            return done(new TuningStep(number, options, change, climb.points(), within, null));
        }

        private TuningStep done(TuningStep step) {
            steps.add(step);
            LOG.info("Tuning step {} ({}): {}", step.number(), step.change(), step.withinTarget()
                    ? String.format("%.0f rows/s within the target at c%d", step.score(), step.best().get().concurrency())
                    : step.refused() != null ? "refused: " + step.refused() : "missed the target at every level");
            listener.stepDone(step);
            return step;
        }
    }

    /**
     * Better by the margin: 5% more rows/s, or as many (within 5%) at a p99 10% lower (under a rate bound every step
     * that holds the rate ties on throughput, and latency decides). Anything within the target beats a best that
     * never met it.
     */
    static boolean beats(TuningStep candidate, TuningStep best) {
        if (!candidate.withinTarget()) {
            return false;
        }
        if (!best.withinTarget()) {
            return true;
        }
        double margin = MARGIN_PERCENT / 100.0;
        if (candidate.score() > best.score() * (1 + margin)) {
            return true;
        }
        double candidateP99 = candidate.best().orElseThrow().p99Micros();
        double bestP99 = best.best().orElseThrow().p99Micros();
        return candidate.score() >= best.score() * (1 - margin)
                && candidateP99 < bestP99 * (1 - LATENCY_MARGIN_PERCENT / 100.0);
    }
}
