package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.util.List;

/** ServeDeck's performance targets, checked against this run's numbers. */
final class TargetVerdicts {

    /** Issue 19: the load engine's rate as a share of the C tool's. */
    static final double LOAD_ENGINE_SHARE = 0.80;

    static final double THROUGHPUT_FACTOR = 1.5;
    static final double LATENCY_BUDGET_MICROS = 60;
    static final double RSS_GROWTH_LIMIT = 1.10;
    static final double GRPC_OVER_REST_FACTOR = 1.3;
    static final double BATCHING_SPEED_UP = 4;
    static final double BATCHING_SHARE_OF_FLOOR = 0.60;
    static final double METRICS_COST_LIMIT = 0.05;
    static final double TLS_COST_LIMIT = 0.25;
    /** Issue 16: bearer tokens may cost at most this share of req/s, on each API. */
    static final double TOKENS_COST_LIMIT = 0.03;
    /** With batching on (adaptive timeout), one client's p50 may be this many times batching off's. */
    static final double ADAPTIVE_C1_LATENCY_FACTOR = 1.25;
    /** A TF2-layout load may take this many times a TF1-layout load (see {@link #loadTime}). */
    static final double LOAD_TIME_NOISE = 1.10;

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
                new Verdict("gRPC half_plus_two c64 calls/s (h2load) >= " + GRPC_OVER_REST_FACTOR
                        + "x REST req/s (wrk, same run)",
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

    static List<Verdict> batching(BatchingComparison batching) {
        WrkResult off = batching.off().wrk();
        WrkResult on = batching.on().wrk();
        boolean clean = off.clean() && on.clean();
        String errors = clean ? "" : ", with errors (see Warnings)";
        String threads = " [" + batching.threads().label() + "]";
        return List.of(
                new Verdict("MLP c64 rows/s batching on >= " + (int) BATCHING_SPEED_UP + "x batching off (same run)"
                        + threads,
                        String.format("%,.0f vs %,.0f rows/s = %.2fx%s", on.requestsPerSecond(),
                                off.requestsPerSecond(), batching.speedUp(), errors),
                        // error answers are quick and would inflate req/s
                        batching.speedUp() >= BATCHING_SPEED_UP && clean),
                new Verdict(String.format("MLP c64 rows/s batching on >= %.0f%% of in-process floor at batch %d",
                        BATCHING_SHARE_OF_FLOOR * 100, batching.floor().batchSize()) + threads,
                        String.format("%,.0f vs %,.0f rows/s = %.0f%%%s", on.requestsPerSecond(),
                                batching.floor().rowsPerSecond(), batching.shareOfFloor() * 100, errors),
                        batching.shareOfFloor() >= BATCHING_SHARE_OF_FLOOR && on.clean()),
                new Verdict("gRPC MLP c64 rows/s batching on >= " + (int) BATCHING_SPEED_UP
                        + "x batching off (same run)" + threads,
                        String.format("%,.0f vs %,.0f rows/s = %.2fx", batching.on().grpc().callsPerSecond(),
                                batching.off().grpc().callsPerSecond(), batching.grpcSpeedUp()),
                        batching.grpcSpeedUp() >= BATCHING_SPEED_UP && grpcClean(batching)),
                new Verdict(String.format("gRPC MLP c64 rows/s batching on >= %.0f%% of in-process floor at batch %d",
                        BATCHING_SHARE_OF_FLOOR * 100, batching.floor().batchSize()) + threads,
                        String.format("%,.0f vs %,.0f rows/s = %.0f%%", batching.on().grpc().callsPerSecond(),
                                batching.floor().rowsPerSecond(), batching.grpcShareOfFloor() * 100),
                        batching.grpcShareOfFloor() >= BATCHING_SHARE_OF_FLOOR && grpcClean(batching)));
    }

    /**
     * Issue 19: a lone request no longer waits for company that is not coming (c1 p50 within
     * {@value #ADAPTIVE_C1_LATENCY_FACTOR}x batching off's), and batching under load earns no less than TF Serving's
     * fixed timeout does (gRPC MLP c64 rows/s at least the fixed timeout's). The fixed timeout's figures are shown
     * beside each for scale.
     */
    static List<Verdict> adaptiveBatching(AdaptiveBatchingComparison comparison) {
        AdaptiveBatchingResult off = comparison.off();
        AdaptiveBatchingResult fixed = comparison.fixed();
        AdaptiveBatchingResult adaptive = comparison.adaptive();
        boolean clean = off.clean() && fixed.clean() && adaptive.clean();
        String errors = clean ? "" : ", with errors (see Warnings)";
        String timeout = " [batch_timeout_micros " + comparison.batchTimeoutMicros() + "]";
        return List.of(
                c1Latency("REST half_plus_two c1 (wrk)" + timeout, adaptive.halfPlusTwoC1().p50Micros(),
                        off.halfPlusTwoC1().p50Micros(), fixed.halfPlusTwoC1().p50Micros(), errors, clean),
                c1Latency("REST MLP c1 (wrk)" + timeout, adaptive.mlpC1().p50Micros(), off.mlpC1().p50Micros(),
                        fixed.mlpC1().p50Micros(), errors, clean),
                c1Latency("gRPC MLP c1 (h2load)" + timeout, adaptive.grpcMlpC1P50Micros(), off.grpcMlpC1P50Micros(),
                        fixed.grpcMlpC1P50Micros(), errors, clean),
                new Verdict("gRPC MLP c64 rows/s (h2load), adaptive timeout >= fixed timeout (today's batching)"
                        + timeout,
                        String.format("%,.0f vs %,.0f rows/s = %.2fx; vs batching off (%,.0f): %.2fx adaptive, "
                                        + "%.2fx fixed; mean batch %s vs %s%s",
                                adaptive.grpcMlpC64().callsPerSecond(), fixed.grpcMlpC64().callsPerSecond(),
                                comparison.grpcMlpC64AdaptiveOverFixed(), off.grpcMlpC64().callsPerSecond(),
                                comparison.grpcMlpC64Throughput(adaptive), comparison.grpcMlpC64Throughput(fixed),
                                adaptive.grpcMlpC64Batch().label(), fixed.grpcMlpC64Batch().label(), errors),
                        comparison.grpcMlpC64AdaptiveOverFixed() >= 1.0 && clean));
    }

    private static Verdict c1Latency(String run, double adaptiveP50, double offP50, double fixedP50, String errors,
            boolean clean) {
        double ratio = adaptiveP50 / offP50;
        return new Verdict(run + ": p50 with batching on (adaptive timeout) <= " + ADAPTIVE_C1_LATENCY_FACTOR
                + "x batching off",
                String.format("%s vs %s = %.2fx (fixed timeout: %s = %.1fx)%s", Format.micros(adaptiveP50),
                        Format.micros(offP50), ratio, Format.micros(fixedP50), fixedP50 / offP50, errors),
                ratio <= ADAPTIVE_C1_LATENCY_FACTOR && clean);
    }

    private static boolean grpcClean(BatchingComparison batching) {
        return batching.off().grpc().failures() == 0 && batching.on().grpc().failures() == 0;
    }

    static Verdict metricsCost(MetricsCostResult cost) {
        boolean clean = cost.off().stream().allMatch(WrkResult::clean) && cost.on().stream().allMatch(WrkResult::clean);
        return new Verdict(String.format("metrics + %.0f%% request log cost <= %.0f%% of req/s",
                ServeDeckFlags.REQUEST_LOG_SAMPLING_RATE * 100, METRICS_COST_LIMIT * 100),
                String.format("%,.0f on vs %,.0f off req/s (mean of %d each) = %.1f%%%s", cost.meanOn(),
                        cost.meanOff(), cost.on().size(), cost.cost() * 100,
                        clean ? "" : ", with errors (see Warnings)"),
                cost.cost() <= METRICS_COST_LIMIT && clean);
    }

    static List<Verdict> tlsCost(TlsCostResult cost) {
        String errors = cost.clean() ? "" : ", with errors (see Warnings)";
        return List.of(
                new Verdict(String.format("TLS cost, REST MLP c64 with batching, <= %.0f%% of rows/s",
                        TLS_COST_LIMIT * 100),
                        String.format("%,.0f on vs %,.0f off rows/s (mean of %d each) = %.1f%%%s",
                                TlsCostResult.mean(cost.restOn(), WrkResult::requestsPerSecond),
                                TlsCostResult.mean(cost.restOff(), WrkResult::requestsPerSecond), cost.restOn().size(),
                                cost.restCost() * 100, errors),
                        cost.restCost() <= TLS_COST_LIMIT && cost.clean()),
                new Verdict(String.format("TLS cost, gRPC MLP c64 with batching, <= %.0f%% of rows/s",
                        TLS_COST_LIMIT * 100),
                        String.format("%,.0f on vs %,.0f off rows/s (mean of %d each) = %.1f%%%s",
                                TlsCostResult.mean(cost.grpcOn(), GrpcLoadClient.Result::callsPerSecond),
                                TlsCostResult.mean(cost.grpcOff(), GrpcLoadClient.Result::callsPerSecond),
                                cost.grpcOn().size(), cost.grpcCost() * 100, errors),
                        cost.grpcCost() <= TLS_COST_LIMIT && cost.clean()));
    }

    /**
     * Judged on req/s, as issue 16 states the target, median against median; the server's CPU time per request is
     * reported beside it, not judged: on this shared machine both move by more than the 3% between two runs of one
     * server, and the in-process cost of a check (in the section's note) is what bounds it below the noise.
     */
    /** Issue 19: the load engine reaches at least 80% of wrk's (REST) and h2load's (gRPC) rate. */
    static List<Verdict> loadEngine(List<LoadEngineComparison> comparisons) {
        return comparisons.stream().map(comparison -> new Verdict(
                String.format("Load engine %s %s >= %.0f%% of %s", comparison.api(), comparison.level().label(),
                        LOAD_ENGINE_SHARE * 100, comparison.tool()),
                String.format("%.0f%% (median of %d each%s)", comparison.ratio() * 100, comparison.toolRuns().size(),
                        comparison.clean() ? "" : ", with errors (see Warnings)"),
                comparison.ratio() >= LOAD_ENGINE_SHARE && comparison.clean())).toList();
    }

    static List<Verdict> tokensCost(TokensCostResult cost) {
        String errors = cost.clean() ? "" : ", with errors (see Warnings)";
        return List.of(
                new Verdict(String.format("REST: bearer tokens cost <= %.0f%% of req/s", TOKENS_COST_LIMIT * 100),
                        String.format("%.1f%% (server CPU per request, not judged: %+.1f%%), median of %d each%s",
                                cost.restRateCost() * 100, cost.restCpuCost() * 100, cost.restOn().size(), errors),
                        cost.restRateCost() <= TOKENS_COST_LIMIT && cost.clean()),
                new Verdict(String.format("gRPC: bearer tokens cost <= %.0f%% of calls/s", TOKENS_COST_LIMIT * 100),
                        String.format("%.1f%% (server CPU per call, not judged: %+.1f%%), median of %d each%s",
                                cost.grpcRateCost() * 100, cost.grpcCpuCost() * 100, cost.grpcOn().size(), errors),
                        cost.grpcRateCost() <= TOKENS_COST_LIMIT && cost.clean()));
    }

    /**
     * "Loading a TF2 model costs no more than a TF1 model of the same size", with 10% for noise: loads of tens of
     * milliseconds on a shared machine vary by more than that from one load to the next. Load is what the
     * LOADING state lasts; the first answer is reported beside it, not judged: TensorFlow instantiates and
     * optimises a TF2 signature's function on its first call, which TF Serving pays as well (warmup exists
     * for it).
     */
    static Verdict loadTime(List<LoadTimeResult> layouts) {
        double tf1 = layouts.get(0).medianLoad();
        double tf2 = layouts.get(1).medianLoad();
        double tf1First = layouts.get(0).medianFirstAnswer();
        double tf2First = layouts.get(1).medianFirstAnswer();
        return new Verdict(String.format("TF2-layout MLP loads in <= %.2fx the TF1-layout MLP's time", LOAD_TIME_NOISE),
                String.format("load %.1f vs %.1f ms = %.2fx (first answer, not judged: %.1f vs %.1f ms = %.2fx)", tf2,
                        tf1, tf2 / tf1, tf2First, tf1First, tf2First / tf1First),
                tf2 <= tf1 * LOAD_TIME_NOISE);
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
                .filter(result -> result.generator().equals(GrpcLoadResult.H2LOAD) && result.level().equals(level)
                        && result.model().equals("half_plus_two"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No gRPC half_plus_two " + level.label() + " run"))
                .client();
    }
}
