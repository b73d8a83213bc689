package dev.servedeck.core.lifecycle;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How often a failed load is tried again, as TF Serving's {@code --max_num_load_retries} and
 * {@code --load_retry_interval_micros}: a version gets {@code maxRetries + 1} attempts, {@code interval} apart,
 * before it goes to END with the last attempt's error.
 *
 * @param maxRetries attempts after the first failed one; 0 tries once
 * @param interval the wait between a failed attempt and the next; zero tries again at once
 */
public record LoadRetries(int maxRetries, Duration interval) {

    /** One attempt; a failure is final. */
    public static final LoadRetries NONE = new LoadRetries(0, Duration.ZERO);

    public LoadRetries {
        Objects.requireNonNull(interval, "interval");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, got " + interval);
        }
    }

    /** As TF Serving's flags: a negative interval means no wait. */
    public static LoadRetries of(int maxRetries, long intervalMicros) {
        return new LoadRetries(maxRetries, Duration.of(Math.max(0, intervalMicros), ChronoUnit.MICROS));
    }

    /** Every attempt a version gets, the first included. */
    public long maxAttempts() {
        return maxRetries + 1L;
    }
}
