package dev.servedeck.core.lifecycle;

import dev.servedeck.core.status.Status;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The load attempts of one version and what its status says between them. While attempts are left, a failed
 * version stays LOADING and its status keeps the failure's code with a message that counts the attempts:
 * <pre>
 *   load attempt 1 of 6 failed: &lt;error&gt;; retrying in 60 s        (waiting for the next attempt)
 *   load attempt 2 of 6 in progress; attempt 1 failed: &lt;error&gt;    (the retry runs)
 * </pre>
 * The last failure reaches END with the error exactly as the loader reported it, as TF Serving's does.
 * Confined to the manager thread, as its harness.
 */
final class LoadAttempts {

    private final long maxAttempts;
    private long started;
    private Status lastError = Status.OK;

    LoadAttempts(LoadRetries retries) {
        this.maxAttempts = retries.maxAttempts();
    }

    void start() {
        started++;
    }

    void failed(Status error) {
        lastError = error;
    }

    /** Back to no attempt and no error: the version's files changed, so earlier failures say nothing about them. */
    void reset() {
        started = 0;
        lastError = Status.OK;
    }

    boolean exhausted() {
        return started >= maxAttempts;
    }

    long started() {
        return started;
    }

    long max() {
        return maxAttempts;
    }

    Status lastError() {
        return lastError;
    }

    /** The status between a failed attempt and the next one. */
    Status waitingToRetry(Duration interval) {
        return Status.of(lastError.code(), "load attempt " + started + " of " + maxAttempts + " failed: "
                + lastError.message() + "; " + (interval.isZero() ? "retrying now" : "retrying in " + seconds(interval)));
    }

    /** The status while a retry runs (the first attempt runs with an OK status: nothing has failed yet). */
    Status retrying() {
        return Status.of(lastError.code(), "load attempt " + started + " of " + maxAttempts + " in progress; attempt "
                + (started - 1) + " failed: " + lastError.message());
    }

    /** "60 s", "1.5 s", "0.25 s": what an operator reads, from whatever unit the flag was given in. */
    private static String seconds(Duration interval) {
        BigDecimal seconds = BigDecimal.valueOf(interval.getSeconds()).add(BigDecimal.valueOf(interval.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + " s";
    }
}
