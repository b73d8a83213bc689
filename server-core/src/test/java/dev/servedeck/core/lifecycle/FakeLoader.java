package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Servable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A loader whose load can be held back until the test releases it, or made to fail. */
public final class FakeLoader implements Loader {

    private final FakeServable servable;
    private final Throwable failure;
    private final CountDownLatch gate;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicInteger loadCount = new AtomicInteger();

    private FakeLoader(String label, Throwable failure, boolean gated) {
        this.servable = new FakeServable(label);
        this.failure = failure;
        this.gate = new CountDownLatch(gated ? 1 : 0);
    }

    public static FakeLoader succeeding(String label) {
        return new FakeLoader(label, null, false);
    }

    /** Loads only after {@link #release()}. */
    public static FakeLoader gated(String label) {
        return new FakeLoader(label, null, true);
    }

    public static FakeLoader failing(Throwable failure) {
        return new FakeLoader("failing", failure, false);
    }

    public void release() {
        gate.countDown();
    }

    public boolean awaitStarted() throws InterruptedException {
        return started.await(5, TimeUnit.SECONDS);
    }

    public FakeServable servable() {
        return servable;
    }

    public int loadCount() {
        return loadCount.get();
    }

    @Override
    public Servable load() throws Exception {
        loadCount.incrementAndGet();
        started.countDown();
        if (!gate.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test never released the loader of " + servable);
        }
        if (failure instanceof Exception exception) {
            throw exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return servable;
    }
}
