package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The MLP with batching at c64 against ServeDeck with TLS off and on, REST and gRPC, measured alternately.
 *
 * @param restOff wrk runs against the plain-text server, in order
 * @param restOn wrk runs over HTTPS
 * @param grpcOff h2load runs, plain text (h2c)
 * @param grpcOn h2load runs over TLS (ALPN h2)
 * @param tlsImplementation what the "on" server logged as its TLS implementation
 * @param certificate the kind of certificate served
 * @param batchSizeOff mean batch size the "off" server formed over its measured runs
 * @param batchSizeOn the same for the "on" server
 */
record TlsCostResult(List<WrkResult> restOff, List<WrkResult> restOn, List<GrpcLoadClient.Result> grpcOff,
        List<GrpcLoadClient.Result> grpcOn, String tlsImplementation, String certificate, MeanBatchSize batchSizeOff,
        MeanBatchSize batchSizeOn) {

    double restCost() {
        return 1 - mean(restOn, WrkResult::requestsPerSecond) / mean(restOff, WrkResult::requestsPerSecond);
    }

    double grpcCost() {
        return 1 - mean(grpcOn, GrpcLoadClient.Result::callsPerSecond) / mean(grpcOff, GrpcLoadClient.Result::callsPerSecond);
    }

    boolean clean() {
        return restOff.stream().allMatch(WrkResult::clean) && restOn.stream().allMatch(WrkResult::clean)
                && grpcOff.stream().allMatch(run -> run.failures() == 0)
                && grpcOn.stream().allMatch(run -> run.failures() == 0);
    }

    static <T> double mean(List<T> runs, ToDoubleFunction<T> rate) {
        return runs.stream().mapToDouble(rate).average().orElseThrow();
    }
}
