package dev.servedeck.bench;

import java.io.IOException;
import java.util.List;

/**
 * Before a server's first measured REST row, each model at c64 under wrk until the server stops getting faster
 * ({@link SteadyWarmUp}). Without it, REST's c1 rows (measured first) would pay for the JIT, and a server warmed
 * less than another would be compared unfairly.
 */
final class RestWarmUp {

    private final WrkRunner wrk;
    private final SteadyWarmUp steady;
    private final Warnings warnings;

    RestWarmUp(WrkRunner wrk, SteadyWarmUp steady, Warnings warnings) {
        this.wrk = wrk;
        this.steady = steady;
        this.warnings = warnings;
    }

    void run(RunningServer server, String label, List<Workload> workloads) throws IOException, InterruptedException {
        for (Workload workload : workloads) {
            steady.warm(label + " REST " + workload.model(), length -> {
                WrkResult result = wrk.run(server.restUrl(), server.headers(), workload, LoadLevel.C64, length);
                if (!result.clean()) {
                    warnings.warn(label + " REST warm-up " + workload.model() + " c64: " + result.non2xx()
                            + " non-2xx responses and " + result.socketErrors() + " socket errors in "
                            + result.requests() + " requests");
                }
                return result.requestsPerSecond();
            });
        }
    }
}
