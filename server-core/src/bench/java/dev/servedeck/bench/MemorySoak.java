package dev.servedeck.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * Reads a server's RSS before load, after a first stretch of requests and after many more of the same, to
 * show whether memory levels off (pools warmed) or keeps climbing (a leak, e.g. an unclosed Tensor).
 */
final class MemorySoak {

    /** Long enough to re-estimate the rate often, short enough to overshoot the target by little. */
    private static final Duration LONGEST_ROUND = Duration.ofSeconds(10);
    /** The soak's first round, before any rate is known. */
    private static final Duration PROBE_ROUND = Duration.ofSeconds(5);
    /**
     * The slowest rate the first stretch plans for. wrk sleeps out its whole -d even when every thread has
     * stopped early, so the stretch costs {@code firstRequests / this} seconds, however fast the server.
     */
    private static final double SLOWEST_EXPECTED_RATE = 1_000;
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

        Duration firstCap = Duration.ofSeconds(Math.max(PROBE_ROUND.toSeconds(),
                (long) Math.ceil(firstRequests / SLOWEST_EXPECTED_RATE)));
        WrkResult first = wrk.runRequests(server.port(), workload, LoadLevel.C64, firstRequests, firstCap);
        check(server, first);
        long requests = first.requests();
        long rssAfterFirst = server.rssKibibytes();
        System.out.printf("%s RSS after %,d requests: %.1f MiB%n", server.name(), requests, rssAfterFirst / 1024.0);

        // The first stretch's own rate is useless (wrk idles after its threads stop): probe, then plan by rate.
        double rate = 0;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int round = 0; round < MAX_ROUNDS && requests < totalRequests && System.nanoTime() < deadline; round++) {
            long seconds = rate > 0 ? (long) Math.ceil((totalRequests - requests) / rate) : PROBE_ROUND.toSeconds();
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
