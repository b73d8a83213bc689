package dev.servedeck.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * half_plus_two c64 against ServeDeck without and with {@code --auth_tokens_file}, measured alternately (off, on,
 * off, on, ...) over REST (wrk) and over gRPC (h2load).
 *
 * @param restOff the measured REST runs without tokens, in order
 * @param restOn  the measured REST runs with a bearer token on every request, in order
 * @param grpcOff the measured gRPC runs without tokens, in order
 * @param grpcOn  the measured gRPC runs with {@code authorization} metadata on every call, in order
 * @param tokensInFile how many tokens the "on" server holds (each request compares them all)
 * @param nanosPerCheck one {@code Authorizer.authorize} over that file, in process ({@link AuthorizationFloor})
 */
record TokensCostResult(List<TokensRun> restOff, List<TokensRun> restOn, List<TokensRun> grpcOff,
        List<TokensRun> grpcOn, int tokensInFile, double nanosPerCheck) {

    /*
     * Medians, not means: on a shared two-core machine one run in four may lose a third of its rate to a
     * neighbour's build, and a mean would hand that to whichever variant it hit.
     */

    /** The share of REST req/s that tokens cost; negative when "on" happened to be faster. */
    double restRateCost() {
        return 1 - median(restOn, TokensRun::rate) / median(restOff, TokensRun::rate);
    }

    double grpcRateCost() {
        return 1 - median(grpcOn, TokensRun::rate) / median(grpcOff, TokensRun::rate);
    }

    /** What tokens add to the server's CPU time per REST request, as a share (reported, not judged). */
    double restCpuCost() {
        return median(restOn, TokensRun::cpuMicrosPerRequest) / median(restOff, TokensRun::cpuMicrosPerRequest) - 1;
    }

    double grpcCpuCost() {
        return median(grpcOn, TokensRun::cpuMicrosPerRequest) / median(grpcOff, TokensRun::cpuMicrosPerRequest) - 1;
    }

    /** The CPU share of {@code cores} the in-process check would take at {@code perSecond} requests. */
    double checkShareOfCores(double perSecond, int cores) {
        return nanosPerCheck * perSecond / (cores * 1e9);
    }

    boolean clean() {
        return List.of(restOff, restOn, grpcOff, grpcOn).stream().flatMap(List::stream)
                .allMatch(run -> run.errors() == 0);
    }

    static double median(List<TokensRun> runs, ToDoubleFunction<TokensRun> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
