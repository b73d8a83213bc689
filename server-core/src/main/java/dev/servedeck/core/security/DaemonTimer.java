package dev.servedeck.core.security;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The one named thread a periodic job of this package runs on (re-reading the token file, repeating a warning). */
final class DaemonTimer {

    private DaemonTimer() {
    }

    /** A single-thread scheduler whose thread is a daemon: it never keeps the JVM alive on its own. */
    static ScheduledExecutorService named(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }
}
