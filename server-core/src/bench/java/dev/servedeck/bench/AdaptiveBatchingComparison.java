package dev.servedeck.bench;

/**
 * The adaptive batch timeout against TF Serving's fixed one and against no batching, three ServeDeck processes
 * measured side by side in one run.
 *
 * @param batchTimeoutMicros the batch_timeout_micros of both batching servers
 * @param parameters         the batching parameters file both read
 */
record AdaptiveBatchingComparison(long batchTimeoutMicros, String parameters, AdaptiveBatchingResult off,
        AdaptiveBatchingResult fixed, AdaptiveBatchingResult adaptive) {

    /** {@code result}'s REST half_plus_two c1 p50 over batching off's. */
    double halfPlusTwoC1Latency(AdaptiveBatchingResult result) {
        return result.halfPlusTwoC1().p50Micros() / off.halfPlusTwoC1().p50Micros();
    }

    double mlpC1Latency(AdaptiveBatchingResult result) {
        return result.mlpC1().p50Micros() / off.mlpC1().p50Micros();
    }

    double grpcMlpC1Latency(AdaptiveBatchingResult result) {
        return result.grpcMlpC1P50Micros() / off.grpcMlpC1P50Micros();
    }

    /** {@code result}'s gRPC MLP c64 rows/s over batching off's. */
    double grpcMlpC64Throughput(AdaptiveBatchingResult result) {
        return result.grpcMlpC64().callsPerSecond() / off.grpcMlpC64().callsPerSecond();
    }

    double mlpC64Throughput(AdaptiveBatchingResult result) {
        return result.mlpC64().requestsPerSecond() / off.mlpC64().requestsPerSecond();
    }

    /** The adaptive timeout's gRPC MLP c64 rows/s over the fixed timeout's (today's batching). */
    double grpcMlpC64AdaptiveOverFixed() {
        return adaptive.grpcMlpC64().callsPerSecond() / fixed.grpcMlpC64().callsPerSecond();
    }
}
