package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableId;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded version and the count of references on it. The manager holds one reference while the version
 * is in the serving map; every {@link ServableHandle} holds one more. Once the manager has retired its
 * reference the count can only fall, so a version whose count reached zero is never handed out again and
 * can be closed safely.
 */
final class LoadedVersion {

    private final ServableId id;
    private final Servable servable;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);

    LoadedVersion(ServableId id, Servable servable) {
        this.id = id;
        this.servable = servable;
    }

    ServableId id() {
        return id;
    }

    Servable servable() {
        return servable;
    }

    /** Adds a reference unless the version is already drained; lock-free, for the request path. */
    boolean tryAcquire() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        int remaining = references.decrementAndGet();
        if (remaining == 0) {
            drained.countDown();
        } else if (remaining < 0) {
            throw new IllegalStateException("Servable " + id + " released more often than acquired");
        }
    }

    /** Drops the manager's own reference; call only after the version left the serving map. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /** Waits until the last handle is released; true if that happened within the timeout. */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        return drained.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    int references() {
        return references.get();
    }
}
