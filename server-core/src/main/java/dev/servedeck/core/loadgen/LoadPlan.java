package dev.servedeck.core.loadgen;

import java.time.Duration;
import java.util.Objects;

/**
 * How much load and for how long.
 *
 * @param concurrency connections, each with at most one request in flight; in an open loop the most requests
 *     that can be in flight, so a server that falls behind builds a counted backlog, not a growing queue
 * @param ratePerSecond 0 for a closed loop (each connection sends again as soon as it has its answer);
 *     above 0, an open loop that sends at this rate and measures latency from each request's intended send time
 * @param duration how long to measure, or null when {@code requests} says when to stop
 * @param requests how many requests to measure, or 0 when {@code duration} says when to stop
 * @param warmUp sent before measuring, at the same concurrency or rate, and not counted
 * @param timeout a request without an answer after this long is abandoned and counted as {@code timeout}
 */
public record LoadPlan(int concurrency, double ratePerSecond, Duration duration, long requests, Duration warmUp,
        Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public LoadPlan {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("the rate must be a positive number of requests per second (0 for none)");
        }
        if ((duration == null) == (requests <= 0)) {
            throw new IllegalArgumentException("give either a duration or a number of requests");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("the duration must be positive");
        }
        Objects.requireNonNull(warmUp, "warmUp");
        Objects.requireNonNull(timeout, "timeout");
        if (warmUp.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the warm-up may not be negative and the timeout must be positive");
        }
    }

    /** {@code concurrency} connections for {@code duration}, no warm-up. */
    public static LoadPlan closedLoop(int concurrency, Duration duration) {
        return new LoadPlan(concurrency, 0, duration, 0, Duration.ZERO, DEFAULT_TIMEOUT);
    }

    /** {@code ratePerSecond} requests per second over at most {@code concurrency} connections for {@code duration}. */
    public static LoadPlan openLoop(double ratePerSecond, int concurrency, Duration duration) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("an open loop needs a rate above 0");
        }
        return new LoadPlan(concurrency, ratePerSecond, duration, 0, Duration.ZERO, DEFAULT_TIMEOUT);
    }

    /** The same plan at another concurrency (a sweep's levels). */
    public LoadPlan withConcurrency(int connections) {
        return new LoadPlan(connections, ratePerSecond, duration, requests, warmUp, timeout);
    }

    public LoadPlan withRequests(long count) {
        return new LoadPlan(concurrency, ratePerSecond, null, count, warmUp, timeout);
    }

    public LoadPlan withWarmUp(Duration warmUpTime) {
        return new LoadPlan(concurrency, ratePerSecond, duration, requests, warmUpTime, timeout);
    }

    public LoadPlan withTimeout(Duration requestTimeout) {
        return new LoadPlan(concurrency, ratePerSecond, duration, requests, warmUp, requestTimeout);
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    /** {@code c8 for 10s}, {@code 2000 req/s (at most 64 in flight) for 10000 requests}. */
    public String describe() {
        String load = openLoop() ? String.format("%.0f req/s (at most %d in flight)", ratePerSecond, concurrency)
                : "c" + concurrency;
        String length = duration != null ? "for " + DurationText.of(duration) : "for " + requests + " requests";
        String warm = warmUp.isZero() ? "" : ", after a " + DurationText.of(warmUp) + " warm-up";
        return load + " " + length + warm;
    }
}
