package dev.servedeck.core.main;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT. Handling the signals ourselves (instead of a shutdown hook) lets the server
 * drain and then exit with status 0, as an orchestrator expects from a graceful stop, also when the signal
 * arrives while models are still loading ({@link #interruptingOnSignal}).
 */
final class ShutdownSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignal.class);

    private final CountDownLatch received = new CountDownLatch(1);
    /** Guards {@link #starting}, so that an interrupt can never land after {@link #interruptingOnSignal} returned. */
    private final Object lock = new Object();
    private Thread starting;

    ShutdownSignal() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> received("SIG" + signal.getName()));
            } catch (IllegalArgumentException e) {
                LOG.debug("Signal {} cannot be handled on this platform", name);
            }
        }
    }

    private void received(String signal) {
        LOG.info("Received {}", signal);
        synchronized (lock) {
            received.countDown();
            if (starting != null) {
                starting.interrupt();
            }
        }
    }

    /**
     * Runs {@code start} on this thread, interrupting it if a signal arrives meanwhile (or has already): waiting
     * for models to load then stops, and the start closes what it had started. The thread's interrupt status is
     * cleared when this returns, so that what it waits for next is not cut short by a signal meant for the start.
     */
    <T> T interruptingOnSignal(Supplier<T> start) {
        synchronized (lock) {
            starting = Thread.currentThread();
            if (received()) {
                starting.interrupt();
            }
        }
        try {
            return start.get();
        } finally {
            synchronized (lock) {
                starting = null;
                Thread.interrupted();
            }
        }
    }

    boolean received() {
        return received.getCount() == 0;
    }

    void awaitTermination() throws InterruptedException {
        received.await();
    }
}
