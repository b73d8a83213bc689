package dev.servedeck.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The load engine against the C tool of its protocol (wrk for REST, h2load for gRPC) on one server, one load
 * level, measured in alternating rounds.
 *
 * @param tool {@code wrk} or {@code h2load}
 */
record LoadEngineComparison(String api, LoadLevel level, String tool, List<LoadEngineRun> toolRuns,
        List<LoadEngineRun> engineRuns) {

    /** Median engine rate over median tool rate. */
    double ratio() {
        double toolRate = median(toolRuns, LoadEngineRun::rate);
        return toolRate == 0 ? 0 : median(engineRuns, LoadEngineRun::rate) / toolRate;
    }

    boolean clean() {
        return toolRuns.stream().allMatch(run -> run.errors() == 0) && engineRuns.stream().allMatch(run -> run.errors() == 0);
    }

    static double median(List<LoadEngineRun> runs, ToDoubleFunction<LoadEngineRun> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
