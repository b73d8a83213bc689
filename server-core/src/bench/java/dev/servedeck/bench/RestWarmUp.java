package dev.servedeck.bench;

import java.io.IOException;
import java.util.List;

/**
 * One unmeasured c64 wrk run per model before a server's first measured REST row. The gRPC suite found that
 * a Java server needs many calls, not a few seconds at low concurrency, to reach full speed; without this,
 * REST's c1 rows (measured first) would pay for the JIT and REST would be compared with gRPC unfairly.
 */
final class RestWarmUp {

    private final WrkRunner wrk;
    private final BenchmarkSettings settings;
    private final Warnings warnings;

    RestWarmUp(WrkRunner wrk, BenchmarkSettings settings, Warnings warnings) {
        this.wrk = wrk;
        this.settings = settings;
        this.warnings = warnings;
    }

    void run(RunningServer server, String label, List<Workload> workloads) throws IOException, InterruptedException {
        if (settings.restWarmUp().isZero()) {
            return;
        }
        for (Workload workload : workloads) {
            WrkResult result = wrk.run(server.port(), workload, LoadLevel.C64, settings.restWarmUp());
            if (!result.clean()) {
                warnings.warn(label + " REST warm-up " + workload.model() + " c64: " + result.non2xx()
                        + " non-2xx responses and " + result.socketErrors() + " socket errors in "
                        + result.requests() + " requests");
            }
            System.out.printf("%s REST warm-up %s: %,d requests in %.1f s%n", label, workload.model(),
                    result.requests(), result.seconds());
        }
    }
}
