package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.util.List;

/** ServeDeck's performance targets, checked against this run's numbers. */
final class TargetVerdicts {

    static final double THROUGHPUT_FACTOR = 1.5;
    static final double LATENCY_BUDGET_MICROS = 60;
    static final double RSS_GROWTH_LIMIT = 1.10;
    static final double GRPC_OVER_REST_FACTOR = 1.3;

    private TargetVerdicts() {
    }

    static List<Verdict> evaluate(FloorResult halfPlusTwoFloor, List<HttpLoadResult> http, List<GrpcLoadResult> grpc,
            MemoryResult memory) {
        WrkResult baselineC64 = find(http, RunningServer.BASELINE, LoadLevel.C64);
        WrkResult serveDeckC64 = find(http, RunningServer.SERVEDECK, LoadLevel.C64);
        WrkResult serveDeckC1 = find(http, RunningServer.SERVEDECK, LoadLevel.C1);

        GrpcLoadClient.Result grpcC64 = findGrpc(grpc, LoadLevel.C64);

        double throughputRatio = serveDeckC64.requestsPerSecond() / baselineC64.requestsPerSecond();
        double overFloor = serveDeckC1.p50Micros() - halfPlusTwoFloor.p50Micros();
        double grpcOverRest = grpcC64.callsPerSecond() / serveDeckC64.requestsPerSecond();
        return List.of(
                new Verdict("REST half_plus_two c64: ServeDeck req/s >= " + THROUGHPUT_FACTOR + "x baseline",
                        String.format("%,.0f vs %,.0f req/s = %.2fx", serveDeckC64.requestsPerSecond(),
                                baselineC64.requestsPerSecond(), throughputRatio),
                        throughputRatio >= THROUGHPUT_FACTOR),
                new Verdict("REST half_plus_two c64: ServeDeck p99 < baseline p99",
                        String.format("%s vs %s", Format.micros(serveDeckC64.p99Micros()),
                                Format.micros(baselineC64.p99Micros())),
                        serveDeckC64.p99Micros() < baselineC64.p99Micros()),
                new Verdict("REST half_plus_two c1: ServeDeck p50 <= in-process floor p50 + "
                        + (int) LATENCY_BUDGET_MICROS + " us",
                        String.format("%s vs floor %s (+%.1f us)", Format.micros(serveDeckC1.p50Micros()),
                                Format.micros(halfPlusTwoFloor.p50Micros()), overFloor),
                        overFloor <= LATENCY_BUDGET_MICROS),
                new Verdict("gRPC half_plus_two c64 calls/s >= " + GRPC_OVER_REST_FACTOR + "x REST req/s (same run)",
                        String.format("%,.0f vs %,.0f = %.2fx%s", grpcC64.callsPerSecond(),
                                serveDeckC64.requestsPerSecond(), grpcOverRest,
                                grpcC64.failures() == 0 ? "" : ", " + grpcC64.failures() + " failed calls"),
                        // The client's calls/s counts failed calls too, and quick refusals would inflate it.
                        grpcOverRest >= GRPC_OVER_REST_FACTOR && grpcC64.failures() == 0),
                new Verdict(String.format("RSS after %,d requests <= %.2fx RSS after %,d", memory.totalRequests(),
                        RSS_GROWTH_LIMIT, memory.firstRequests()),
                        String.format("%s / %s = %.3fx", Format.mebibytes(memory.rssAfterTotalKib()),
                                Format.mebibytes(memory.rssAfterFirstKib()), memory.growthRatio()),
                        memory.growthRatio() <= RSS_GROWTH_LIMIT));
    }

    /** ServeDeck's REST run of {@code model} at {@code level}: what its gRPC run is compared with. */
    static WrkResult serveDeckRest(List<HttpLoadResult> http, String model, LoadLevel level) {
        return find(http, RunningServer.SERVEDECK, model, level);
    }

    private static WrkResult find(List<HttpLoadResult> http, String server, LoadLevel level) {
        return find(http, server, "half_plus_two", level);
    }

    private static WrkResult find(List<HttpLoadResult> http, String server, String model, LoadLevel level) {
        return http.stream()
                .filter(result -> result.server().equals(server) && result.level().equals(level)
                        && result.workload().model().equals(model))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + server + " " + model + " " + level.label()
                        + " run"))
                .wrk();
    }

    private static GrpcLoadClient.Result findGrpc(List<GrpcLoadResult> grpc, LoadLevel level) {
        return grpc.stream()
                .filter(result -> result.level().equals(level) && result.model().equals("half_plus_two"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No gRPC half_plus_two " + level.label() + " run"))
                .client();
    }
}
