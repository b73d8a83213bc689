package dev.servedeck.bench;

import java.util.List;

/** ServeDeck's performance targets, checked against this run's numbers. */
final class TargetVerdicts {

    static final double THROUGHPUT_FACTOR = 1.5;
    static final double LATENCY_BUDGET_MICROS = 60;
    static final double RSS_GROWTH_LIMIT = 1.10;

    private TargetVerdicts() {
    }

    static List<Verdict> evaluate(FloorResult halfPlusTwoFloor, List<HttpLoadResult> http, MemoryResult memory) {
        WrkResult baselineC64 = find(http, RunningServer.BASELINE, LoadLevel.C64);
        WrkResult serveDeckC64 = find(http, RunningServer.SERVEDECK, LoadLevel.C64);
        WrkResult serveDeckC1 = find(http, RunningServer.SERVEDECK, LoadLevel.C1);

        double throughputRatio = serveDeckC64.requestsPerSecond() / baselineC64.requestsPerSecond();
        double overFloor = serveDeckC1.p50Micros() - halfPlusTwoFloor.p50Micros();
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
                new Verdict(String.format("RSS after %,d requests <= %.2fx RSS after %,d", memory.totalRequests(),
                        RSS_GROWTH_LIMIT, memory.firstRequests()),
                        String.format("%s / %s = %.3fx", Format.mebibytes(memory.rssAfterTotalKib()),
                                Format.mebibytes(memory.rssAfterFirstKib()), memory.growthRatio()),
                        memory.growthRatio() <= RSS_GROWTH_LIMIT));
    }

    private static WrkResult find(List<HttpLoadResult> http, String server, LoadLevel level) {
        return http.stream()
                .filter(result -> result.server().equals(server) && result.level().equals(level)
                        && result.workload().model().equals("half_plus_two"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + server + " half_plus_two " + level.label()
                        + " run"))
                .wrk();
    }
}
