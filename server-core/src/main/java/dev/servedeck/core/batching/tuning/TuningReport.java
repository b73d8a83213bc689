package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import java.util.Locale;

/** A search as text: a line per step and the proposal, for the command line and the console's summary. */
public final class TuningReport {

    private TuningReport() {
    }

    /** {@code step 2  max_batch_size 64  threads 1  timeout 500 us   31,204 rows/s at c32 (p99 8.1 ms)  c1..c64} */
    public static String stepLine(TuningStep step) {
        BatchingOptions o = step.options();
        String what = String.format(Locale.ROOT, "step %-2d %-28s mbs %-4d threads %-2d timeout %-5d us", step.number(),
                step.change(), o.maxBatchSize(), o.numBatchThreads(), o.batchTimeoutMicros());
        if (step.refused() != null) {
            return what + "  refused: " + step.refused();
        }
        String levels = step.points().isEmpty() ? "no level"
                : "c" + step.points().get(0).concurrency() + "..c" + step.points().get(step.points().size() - 1).concurrency();
        return what + "  " + step.best().map(best -> String.format(Locale.ROOT, "%,10.0f rows/s at c%-3d (p99 %.2f ms)",
                best.rowsPerSecond(), best.concurrency(), best.p99Micros() / 1000))
                .orElse(String.format(Locale.ROOT, "%-36s", "missed the target at every level")) + "  " + levels;
    }

    /** {@code c8: 9,120 req/s, p50 0.81 ms, p99 2.30 ms} (and "misses the target" where it does). */
    public static String levelLine(int step, SweepPoint point, TuningGoal goal) {
        return String.format(Locale.ROOT, "  step %d c%-3d %,10.0f req/s %,10.0f rows/s  p50 %7.2f ms  p99 %7.2f ms%s",
                step, point.concurrency(), point.requestsPerSecond(), point.rowsPerSecond(), point.p50Micros() / 1000,
                point.p99Micros() / 1000, goal.meets(point) ? "" : point.errors() > 0
                        ? String.format(Locale.ROOT, "  %,d errors: misses the target", point.errors())
                        : "  misses the target");
    }

    public static String write(TuningResult result, TuningGoal goal) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Target                 p99 <= %.1f ms, no errors%n",
                goal.p99Target().toNanos() / 1e6));
        text.append(String.format(Locale.ROOT, "Steps                  %d (%s)%n", result.steps().size(),
                ending(result)));
        for (TuningStep step : result.steps()) {
            text.append(stepLine(step)).append(System.lineSeparator());
        }
        text.append(String.format(Locale.ROOT, "Restored               %s%n", result.restored()
                ? "the parameters in force before the search" : "NO: restore them by hand (see the log)"));
        text.append(String.format(Locale.ROOT, "%-22s %s%n", "Proposal", proposal(result)));
        if (result.proposesAChange()) {
            text.append(BatchingParametersFile.print(result.proposal().get().options()));
        }
        return text.toString();
    }

    /**
     * What the search proposes, in one line: the step, what it measured, and the three parameters it tunes
     * ({@code step 4, 1,666 rows/s at c4, p99 8.21 ms (5.01x the parameters in force): max_batch_size 16, ...}).
     */
    public static String proposal(TuningResult result) {
        if (result.proposal().isEmpty()) {
            return "none: no step met the target at any concurrency (a looser target, or a faster model or machine)";
        }
        TuningStep best = result.proposal().get();
        SweepPoint at = best.best().orElseThrow();
        String measured = String.format(Locale.ROOT, "%,.0f rows/s at c%d, p99 %.2f ms", at.rowsPerSecond(),
                at.concurrency(), at.p99Micros() / 1000);
        if (!result.proposesAChange()) {
            return "keep the parameters in force (" + measured + "): no step beat them by "
                    + BatchingTuner.MARGIN_PERCENT + "% more rows/s, or as many at a "
                    + BatchingTuner.LATENCY_MARGIN_PERCENT + "% lower p99";
        }
        double baseline = result.steps().get(0).score();
        BatchingOptions o = best.options();
        return "step " + best.number() + ", " + measured
                + (baseline > 0 ? String.format(Locale.ROOT, " (%.2fx the parameters in force)", best.score() / baseline)
                        : " (the parameters in force missed the target)")
                + String.format(Locale.ROOT, ": max_batch_size %d, num_batch_threads %d, batch_timeout_micros %d",
                        o.maxBatchSize(), o.numBatchThreads(), o.batchTimeoutMicros());
    }

    private static String ending(TuningResult result) {
        return switch (result.ending()) {
            case COMPLETED -> "search complete";
            case STOPPED -> "stopped";
            case BUDGET_SPENT -> "the time budget ran out";
            case FAILED -> "failed: " + result.failure();
        };
    }
}
