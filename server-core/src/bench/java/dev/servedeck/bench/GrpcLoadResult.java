package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;

/**
 * One measured gRPC load run against ServeDeck: which load generator ({@link #H2LOAD} or {@link #GRPC_JAVA}),
 * which model, how many calls in flight, and what the client saw.
 */
record GrpcLoadResult(String generator, String model, LoadLevel level, GrpcLoadClient.Result client) {

    /** nghttp2's h2load, a C client in its own process like wrk: the run judged against REST. */
    static final String H2LOAD = "h2load";
    /** grpc-java's async client inside the benchmark JVM. */
    static final String GRPC_JAVA = "grpc-java";

    /** As wrk's unit, so gRPC and REST latencies print alike. */
    double p50Micros() {
        return client.p50().toNanos() / 1_000.0;
    }

    double p99Micros() {
        return client.p99().toNanos() / 1_000.0;
    }
}
