package dev.servedeck.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what another thread makes true. */
public final class Await {

    private Await() {
    }

    /** Checks every 20 ms until the condition holds; fails the test when the timeout passes first. */
    public static void until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
