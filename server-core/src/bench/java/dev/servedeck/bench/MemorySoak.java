package dev.servedeck.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * Reads a server's RSS before load, after a first stretch of requests and after many more of the same, to
 * show whether memory levels off (pools warmed) or keeps climbing (a leak, e.g. an unclosed Tensor).
 */
final class MemorySoak {

    /** Long enough to re-estimate the rate often, short enough to overshoot the target by little. */
    private static final Duration LONGEST_ROUND = Duration.ofSeconds(30);
    /** Bounds the soak even on a machine so slow (or so busy) that the target is out of reach. */
    private static final Duration DEADLINE = Duration.ofMinutes(30);
    private static final int MAX_ROUNDS = 1_000;

    private final WrkRunner wrk;
    private final Warnings warnings;

    MemorySoak(WrkRunner wrk, Warnings warnings) {
        this.wrk = wrk;
        this.warnings = warnings;
    }

    MemoryResult run(RunningServer server, long firstRequests, long totalRequests)
            throws IOException, InterruptedException {
        Workload workload = Workload.halfPlusTwo();
        long rssBefore = server.rssKibibytes();
        System.out.printf("%s RSS before load: %.1f MiB%n", server.name(), rssBefore / 1024.0);

        WrkResult first = wrk.runRequests(server.port(), workload, LoadLevel.C64, firstRequests, Duration.ofMinutes(2));
        check(server, first);
        long requests = first.requests();
        long rssAfterFirst = server.rssKibibytes();
        System.out.printf("%s RSS after %,d requests: %.1f MiB%n", server.name(), requests, rssAfterFirst / 1024.0);

        double rate = Math.max(1, first.requestsPerSecond());
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int round = 0; round < MAX_ROUNDS && requests < totalRequests && System.nanoTime() < deadline; round++) {
            long seconds = (long) Math.ceil((totalRequests - requests) / rate);
            Duration length = Duration.ofSeconds(Math.max(1, Math.min(seconds, LONGEST_ROUND.toSeconds())));
            WrkResult result = wrk.run(server.port(), workload, LoadLevel.C64, length);
            check(server, result);
            requests += result.requests();
            rate = Math.max(1, result.requestsPerSecond());
            System.out.printf("%s soak: %,d of %,d requests, RSS %.1f MiB%n", server.name(), requests, totalRequests,
                    server.rssKibibytes() / 1024.0);
        }
        if (requests < totalRequests) {
            warnings.warn("Memory soak stopped at " + requests + " of " + totalRequests
                    + " requests (deadline or round limit): the last RSS reading is for fewer requests");
        }
        long rssAfterAll = server.rssKibibytes();
        return new MemoryResult(rssBefore, first.requests(), rssAfterFirst, requests, rssAfterAll);
    }

    private void check(RunningServer server, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(server.name() + " memory soak: " + result.non2xx() + " non-2xx responses and "
                    + result.socketErrors() + " socket errors in " + result.requests() + " requests");
        }
    }
}
