package dev.servedeck.core.loadgen;

import java.time.Duration;
import java.util.SortedMap;

/**
 * A run at one moment, for live displays: cheap to take at a display's refresh rate (a few per second), never
 * per request. Counts are of measured requests (after the warm-up).
 *
 * @param measured time since measuring began (zero while warming up)
 * @param progress 0..1 of the planned duration or request count
 * @param sent requests sent since measuring began
 * @param answered of those, with an answer or a failure
 * @param failed of those, not a success (error statuses, failures, timeouts)
 * @param backlog open loop: requests whose send time has passed but that wait for a free connection
 * @param recentRequestsPerSecond answers per second since the previous snapshot
 * @param requestsPerSecond answers per second since measuring began
 * @param recent latencies since the previous snapshot
 * @param total latencies since measuring began
 * @param statuses answers by status since measuring began
 * @param errors the statuses that are not successes
 */
public record LoadSnapshot(LoadPhase phase, Duration measured, double progress, long sent, long answered, long failed,
        long backlog, double recentRequestsPerSecond, double requestsPerSecond, Latencies recent, Latencies total,
        SortedMap<String, Long> statuses, SortedMap<String, Long> errors) {
}
