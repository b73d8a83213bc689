package dev.servedeck.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Unmeasured c64 runs against one server and request kind until the server stops getting faster, before its
 * first measured row. A JVM server loaded on 2 cores reaches full speed only after 20-40 s of full load, because
 * the JIT's compiler threads compete with the load for the same cores: on 2026-11-26 (a quiet machine) ServeDeck's
 * REST half_plus_two went 8k, 17k, 26k, 31k req/s over four 6 s runs, and the MLP with batching over gRPC 8k, 14k,
 * 26k, 28k, 31k rows/s. The fixed 5 s warm-up used before measured the JIT, not the server, and the process
 * measured later in a comparison (batching on, gRPC) paid for it most. Every server, the baseline too, is warmed
 * the same way.
 */
final class SteadyWarmUp {

    /** A run must beat every run before it by more than this factor to count as still climbing. */
    static final double STILL_CLIMBING = 1.05;
    /**
     * Warming stops after this many runs in a row that did not climb: one was not enough on this shared machine,
     * where a neighbour's burst makes a single run dip in the middle of a climb.
     */
    static final int FLAT_RUNS = 2;
    /**
     * Fewer runs stopped too early on this noisy machine: on 2026-11-26 a batching-off warm-up dipped after its
     * second run and stopped at half its speed, flattering the batching ratio; steady speed took 5-9 runs.
     */
    static final int MIN_RUNS = 6;

    /** One unmeasured load run of the given length; answers its rate (requests, calls or rows per second). */
    interface LoadRun {
        double ratePerSecond(Duration length) throws IOException, InterruptedException;
    }

    /** The rates of one warm-up, in order; steady when the last run stopped climbing before the cap. */
    record Trajectory(String label, List<Double> rates, boolean steady) {
    }

    private final Duration runLength;
    private final int maxRuns;
    private final List<Trajectory> trajectories = new ArrayList<>();

    SteadyWarmUp(Duration runLength, int maxRuns) {
        this.runLength = runLength;
        this.maxRuns = maxRuns;
    }

    static SteadyWarmUp from(BenchmarkSettings settings) {
        return new SteadyWarmUp(settings.warmUpRunLength(), settings.maxWarmUpRuns());
    }

    /** Warms until {@link #stoppedClimbing} or {@code maxRuns}; zero runs when warming is switched off. */
    Trajectory warm(String label, LoadRun run) throws IOException, InterruptedException {
        if (maxRuns == 0) {
            return new Trajectory(label, List.of(), false);
        }
        List<Double> rates = new ArrayList<>();
        while (rates.size() < maxRuns && !stoppedClimbing(rates)) {
            rates.add(run.ratePerSecond(runLength));
        }
        Trajectory trajectory = new Trajectory(label, List.copyOf(rates), stoppedClimbing(rates));
        trajectories.add(trajectory);
        System.out.printf("%s warm-up: %s%s%n", label, ratesText(trajectory.rates()),
                trajectory.steady() ? " (steady)" : " (still climbing at the cap)");
        return trajectory;
    }

    /**
     * At least {@link #MIN_RUNS} runs, and none of the last {@link #FLAT_RUNS} more than {@link #STILL_CLIMBING} x
     * the best run before them.
     */
    static boolean stoppedClimbing(List<Double> rates) {
        if (rates.size() < Math.max(MIN_RUNS, FLAT_RUNS + 1)) {
            return false;
        }
        int firstFlat = rates.size() - FLAT_RUNS;
        double bestBefore = Collections.max(rates.subList(0, firstFlat));
        return rates.subList(firstFlat, rates.size()).stream().allMatch(rate -> rate <= bestBefore * STILL_CLIMBING);
    }

    static String ratesText(List<Double> rates) {
        List<String> texts = new ArrayList<>();
        for (double rate : rates) {
            texts.add(Format.rate(rate));
        }
        return String.join(" → ", texts);
    }

    /** The rule in words, for the report: "runs of 4 s until 2 in a row are ...", or "off". */
    String rule() {
        if (maxRuns == 0) {
            return "off";
        }
        return "c64 runs of " + runLength.toSeconds() + " s until " + FLAT_RUNS + " in a row are no more than "
                + Math.round((STILL_CLIMBING - 1) * 100) + "% faster than the best before them (at least "
                + MIN_RUNS + " runs, at most " + maxRuns + ")";
    }

    List<Trajectory> all() {
        return List.copyOf(trajectories);
    }
}
