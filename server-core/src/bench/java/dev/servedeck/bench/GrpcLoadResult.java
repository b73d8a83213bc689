package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;

/** One measured gRPC load run against ServeDeck: which model, how many calls in flight, and what the client saw. */
record GrpcLoadResult(String model, LoadLevel level, GrpcLoadClient.Result client) {

    /** As wrk's unit, so gRPC and REST latencies print alike. */
    double p50Micros() {
        return client.p50().toNanos() / 1_000.0;
    }

    double p99Micros() {
        return client.p99().toNanos() / 1_000.0;
    }
}
