package dev.servedeck.core.metrics;

import dev.servedeck.core.status.Code;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Requests in one rolling window: counts, throughput, latency percentiles (HdrHistogram, 2 significant
 * digits) and errors by status code.
 *
 * @param window the time the numbers cover (shorter than asked for while the server is younger than it)
 * @param requests every finished call, failed ones included
 * @param rows batch entries answered by successful calls
 * @param errors failed calls by status code; codes without failures are absent
 */
public record WindowStatistics(
        Duration window,
        long requests,
        long rows,
        double requestsPerSecond,
        double rowsPerSecond,
        long p50Micros,
        long p95Micros,
        long p99Micros,
        long maxMicros,
        Map<Code, Long> errors) {

    public WindowStatistics {
        Objects.requireNonNull(window, "window");
        errors = Map.copyOf(errors);
    }

    public static WindowStatistics empty(Duration window) {
        return new WindowStatistics(window, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
