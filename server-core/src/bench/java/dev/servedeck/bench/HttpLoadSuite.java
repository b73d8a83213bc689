package dev.servedeck.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request kind at every concurrency against one server, each measured run after its own warm-up run,
 * and all of them after a longer c64 warm-up per model ({@link RestWarmUp}).
 */
final class HttpLoadSuite {

    private static final List<Workload> WORKLOADS = List.of(Workload.halfPlusTwo(), Workload.mlp());

    private final WrkRunner wrk;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;

    HttpLoadSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings) {
        this.wrk = wrk;
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
    }

    List<HttpLoadResult> run(RunningServer server) throws IOException, InterruptedException {
        restWarmUp.run(server, server.name(), WORKLOADS);
        List<HttpLoadResult> results = new ArrayList<>();
        for (Workload workload : WORKLOADS) {
            for (LoadLevel level : LoadLevel.ALL) {
                WrkResult warmUp = wrk.run(server.port(), workload, level, settings.warmUp());
                reportErrors(server.name() + " warm-up", workload, level, warmUp);
                WrkResult measured = wrk.run(server.port(), workload, level, settings.measurement());
                reportErrors(server.name(), workload, level, measured);
                System.out.printf("%-9s %-13s %-4s %8s req/s  p50 %10s  p99 %10s%n", server.name(), workload.model(),
                        level.label(), Format.rate(measured.requestsPerSecond()), Format.micros(measured.p50Micros()),
                        Format.micros(measured.p99Micros()));
                results.add(new HttpLoadResult(server.name(), workload, level, measured));
            }
        }
        return results;
    }

    private void reportErrors(String run, Workload workload, LoadLevel level, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(run + " " + workload.model() + " " + level.label() + ": " + result.non2xx()
                    + " non-2xx responses and " + result.socketErrors() + " socket errors in "
                    + result.requests() + " requests");
        }
    }
}
