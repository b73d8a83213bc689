package dev.servedeck.core.main;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT. Handling the signals ourselves (instead of a shutdown hook) lets the server
 * drain and then exit with status 0, as an orchestrator expects from a graceful stop.
 */
final class ShutdownSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignal.class);

    private final CountDownLatch received = new CountDownLatch(1);

    ShutdownSignal() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.info("Received SIG{}", signal.getName());
                    received.countDown();
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("Signal {} cannot be handled on this platform", name);
            }
        }
    }

    void awaitTermination() throws InterruptedException {
        received.await();
    }
}
