package dev.servedeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What monitoring costs (issue 5): half_plus_two at c64 over REST, the cheapest request and so the one where
 * per-request bookkeeping weighs most, against two ServeDeck processes, one with {@code --disable_metrics} and
 * one with Prometheus served and a 1 % sampled request log. Both stay up and are measured alternately, off then
 * on, {@value #ROUNDS} times each, so that a neighbour's load on this shared machine drifts into both means
 * alike. The one not measured sits idle meanwhile.
 */
final class MetricsCostSuite {

    static final int ROUNDS = 2;
    private static final Workload WORKLOAD = Workload.halfPlusTwo();

    private final WrkRunner wrk;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;

    MetricsCostSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings) {
        this.wrk = wrk;
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
    }

    MetricsCostResult run(Path serverConfig) throws IOException, InterruptedException {
        Path dir = settings.outputDir().resolve("metrics-cost");
        Path requestLog = dir.resolve("requests.jsonl");
        deleteRequestLogs(dir);
        List<String> onFlags = new ArrayList<>(ServeDeckFlags.prometheus(dir));
        onFlags.addAll(ServeDeckFlags.requestLog(requestLog));
        List<WrkResult> off = new ArrayList<>();
        List<WrkResult> on = new ArrayList<>();
        try (RunningServer metricsOff = RunningServer.startServeDeck(settings, serverConfig, "servedeck-metrics-off",
                        ServeDeckFlags.metricsDisabled());
                RunningServer metricsOn = RunningServer.startServeDeck(settings, serverConfig, "servedeck-metrics-on",
                        onFlags)) {
            restWarmUp.run(metricsOff, "ServeDeck metrics off", List.of(WORKLOAD));
            restWarmUp.run(metricsOn, "ServeDeck metrics on", List.of(WORKLOAD));
            for (int round = 1; round <= ROUNDS; round++) {
                off.add(measure(metricsOff, "metrics off", round));
                on.add(measure(metricsOn, "metrics on", round));
            }
            requireServedMetrics(metricsOn);
        }
        long lines = countLines(dir);
        if (lines == 0) {
            warnings.warn("ServeDeck metrics on wrote no request log lines to " + requestLog
                    + ": the \"on\" runs did not pay for the request log");
        }
        return new MetricsCostResult(off, on, String.join(" ", onFlags), lines);
    }

    private WrkResult measure(RunningServer server, String variant, int round)
            throws IOException, InterruptedException {
        String label = "ServeDeck " + variant + " round " + round;
        check(label + " warm-up", wrk.run(server.port(), WORKLOAD, LoadLevel.C64, settings.warmUp()));
        WrkResult measured = wrk.run(server.port(), WORKLOAD, LoadLevel.C64, settings.measurement());
        check(label, measured);
        System.out.printf("%-34s half_plus_two c64 %8s req/s  p50 %10s  p99 %10s%n", label,
                Format.rate(measured.requestsPerSecond()), Format.micros(measured.p50Micros()),
                Format.micros(measured.p99Micros()));
        return measured;
    }

    /** A scrape that finds the requests just sent proves the "on" server measured them. */
    private void requireServedMetrics(RunningServer server) throws IOException, InterruptedException {
        double requests = PrometheusScrape.of(server).total("servedeck_requests_total").orElse(0);
        if (requests <= 0) {
            warnings.warn("ServeDeck metrics on counted no requests in servedeck_requests_total");
        }
    }

    private void check(String run, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(run + " half_plus_two c64: " + result.non2xx() + " non-2xx responses and "
                    + result.socketErrors() + " socket errors in " + result.requests() + " requests");
        }
    }

    /** The log and its rotated files (requests.jsonl.1, ...), from an earlier run too. */
    private static List<Path> requestLogs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().startsWith("requests.jsonl")).toList();
        }
    }

    private static void deleteRequestLogs(Path dir) throws IOException {
        for (Path file : requestLogs(dir)) {
            Files.delete(file);
        }
    }

    private static long countLines(Path dir) throws IOException {
        long lines = 0;
        for (Path file : requestLogs(dir)) {
            try (Stream<String> fileLines = Files.lines(file)) {
                lines += fileLines.count();
            }
        }
        return lines;
    }
}
