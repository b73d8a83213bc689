package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.util.List;

/**
 * What one ServeDeck process of the adaptive batching comparison answered: one client at a time (c1), where a
 * fixed batch timeout costs latency, and 64 at a time (c64), where batching pays.
 *
 * @param variant         "batching off", "fixed timeout" or "adaptive timeout"
 * @param flags           the ServeDeck flags that made the difference
 * @param halfPlusTwoC1   REST half_plus_two, wrk -c1
 * @param mlpC1           REST MLP, wrk -c1
 * @param grpcMlpC1       gRPC MLP, h2load, one call in flight
 * @param mlpC64          REST MLP, wrk -c64 (one row per request: rows/s = req/s)
 * @param mlpC64Batch     rows per batch during {@code mlpC64}
 * @param grpcMlpC64      gRPC MLP, h2load, 64 calls in flight: the median of its rounds
 * @param grpcMlpC64Batch rows per batch during {@code grpcMlpC64}
 * @param grpcMlpC64Rounds rows/s of every round, in order
 */
record AdaptiveBatchingResult(String variant, String flags, WrkResult halfPlusTwoC1, WrkResult mlpC1,
        GrpcLoadClient.Result grpcMlpC1, WrkResult mlpC64, MeanBatchSize mlpC64Batch,
        GrpcLoadClient.Result grpcMlpC64, MeanBatchSize grpcMlpC64Batch, List<Double> grpcMlpC64Rounds) {

    double grpcMlpC1P50Micros() {
        return grpcMlpC1.p50().toNanos() / 1_000.0;
    }

    /** Every REST answer 2xx and every gRPC call OK: error answers are quick and would flatter the figures. */
    boolean clean() {
        return halfPlusTwoC1.clean() && mlpC1.clean() && mlpC64.clean() && grpcMlpC1.failures() == 0
                && grpcMlpC64.failures() == 0;
    }
}
