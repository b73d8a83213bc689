package dev.servedeck.core.lifecycle;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the manager's threads ("servedeck-load-1", ...) so thread dumps and logs say who is who. They are
 * daemons on purpose: an orderly shutdown goes through {@link AspiredVersionsManager#close()}, and a
 * forgotten manager must not keep the JVM alive.
 */
final class DaemonThreadFactory implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    DaemonThreadFactory(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
