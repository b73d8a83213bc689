package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one ServeDeck process of the adaptive batching comparison answered: one client at a time (c1), where a
 * fixed batch timeout costs latency, and 64 at a time (c64), where batching pays. The judged kinds of run were
 * repeated in rounds; each is summed up by its median round (by p50 for c1, by rows/s for c64).
 *
 * @param variant             "batching off", "fixed timeout" or "adaptive timeout"
 * @param flags               the ServeDeck flags that made the difference
 * @param halfPlusTwoC1Rounds REST half_plus_two, wrk -c1, every round
 * @param mlpC1Rounds         REST MLP, wrk -c1, every round
 * @param grpcMlpC1Rounds     gRPC MLP, h2load, one call in flight, every round
 * @param mlpC64              REST MLP, wrk -c64 (one row per request: rows/s = req/s), once
 * @param mlpC64Batch         rows per batch during {@code mlpC64}
 * @param grpcMlpC64Rounds    gRPC MLP, h2load, 64 calls in flight, every round with the batches it formed
 */
record AdaptiveBatchingResult(String variant, String flags, List<WrkResult> halfPlusTwoC1Rounds,
        List<WrkResult> mlpC1Rounds, List<GrpcLoadClient.Result> grpcMlpC1Rounds, WrkResult mlpC64,
        MeanBatchSize mlpC64Batch, List<GrpcC64Run> grpcMlpC64Rounds) {

    /** One gRPC c64 round and the rows per batch the server formed during it. */
    record GrpcC64Run(GrpcLoadClient.Result load, MeanBatchSize batchSize) {
    }

    WrkResult halfPlusTwoC1() {
        return median(halfPlusTwoC1Rounds, WrkResult::p50Micros);
    }

    WrkResult mlpC1() {
        return median(mlpC1Rounds, WrkResult::p50Micros);
    }

    GrpcLoadClient.Result grpcMlpC1() {
        return median(grpcMlpC1Rounds, AdaptiveBatchingResult::p50Micros);
    }

    double grpcMlpC1P50Micros() {
        return p50Micros(grpcMlpC1());
    }

    GrpcC64Run grpcMlpC64Median() {
        return median(grpcMlpC64Rounds, run -> run.load().callsPerSecond());
    }

    GrpcLoadClient.Result grpcMlpC64() {
        return grpcMlpC64Median().load();
    }

    MeanBatchSize grpcMlpC64Batch() {
        return grpcMlpC64Median().batchSize();
    }

    /** Every REST answer 2xx and every gRPC call OK: error answers are quick and would flatter the figures. */
    boolean clean() {
        return halfPlusTwoC1Rounds.stream().allMatch(WrkResult::clean) && mlpC1Rounds.stream().allMatch(WrkResult::clean)
                && mlpC64.clean() && grpcMlpC1Rounds.stream().allMatch(run -> run.failures() == 0)
                && grpcMlpC64Rounds.stream().allMatch(run -> run.load().failures() == 0);
    }

    static double p50Micros(GrpcLoadClient.Result result) {
        return result.p50().toNanos() / 1_000.0;
    }

    /** The middle run by {@code key} (the higher of the two middle ones for an even count). */
    private static <T> T median(List<T> runs, ToDoubleFunction<T> key) {
        List<T> sorted = runs.stream().sorted(Comparator.comparingDouble(key)).toList();
        return sorted.get(sorted.size() / 2);
    }
}
