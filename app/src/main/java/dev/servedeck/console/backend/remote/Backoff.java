package dev.servedeck.console.backend.remote;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next try at a server that did not answer: 0.5 s, doubling up to 10 s, each wait
 * shifted by up to a fifth either way so that consoles that lost the same server do not all come back at once.
 * A success starts the series again. Not thread-safe: one reconnecting thread owns it (or, for a plain TF Serving's
 * backend, one poll at a time).
 */
public final class Backoff {

    static final Duration FIRST = Duration.ofMillis(500);
    static final Duration MAX = Duration.ofSeconds(10);
    private static final double JITTER = 0.2;

    private final DoubleSupplier random;
    private Duration next = FIRST;

    /** @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The wait before the next try; each call doubles the one after it, up to {@link #MAX}. */
    public Duration next() {
        Duration base = next;
        next = base.multipliedBy(2).compareTo(MAX) > 0 ? MAX : base.multipliedBy(2);
        double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        return Duration.ofNanos(Math.round(base.toNanos() * factor));
    }

    public void reset() {
        next = FIRST;
    }
}
