package dev.servedeck.core.loadgen;

import java.time.Duration;
import java.util.SortedMap;

/**
 * What a run measured (warm-up excluded).
 *
 * @param target where the load went ({@link LoadTarget#describe()})
 * @param measured from the start of measuring to the last answer
 * @param sent requests sent while measuring
 * @param answered of those, with an answer or a failure (all of them, unless the run was cut short)
 * @param ok answers that are successes
 * @param unsent open loop: requests whose send time fell in the run but which never found a free connection
 *     (the server could not keep up with the rate at this concurrency)
 * @param requestsPerSecond answered / measured
 * @param rowsPerSecond ok answers times rows per request / measured
 * @param statuses every answer by status ({@code 200}, {@code OK}, {@code 404}, {@code timeout} ...)
 * @param errors the answers of {@code statuses} that are not successes
 * @param coordinatedOmissionCorrected whether latencies count from the intended send time (open loop)
 */
public record LoadResult(String target, LoadPlan plan, int rowsPerRequest, Duration measured, long sent,
        long answered, long ok, long unsent, double requestsPerSecond, double rowsPerSecond, Latencies latency,
        SortedMap<String, Long> statuses, SortedMap<String, Long> errors, boolean coordinatedOmissionCorrected) {

    public long failed() {
        return answered - ok;
    }
}
