package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableId;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a request holds while it uses a version: the version cannot be closed before every handle on it
 * is closed. Short-lived; use it in a try-with-resources block. Not meant to be shared between requests.
 */
public final class ServableHandle implements AutoCloseable {

    private final LoadedVersion version;
    private final AtomicBoolean released = new AtomicBoolean();

    ServableHandle(LoadedVersion version) {
        this.version = version;
    }

    public ServableId id() {
        return version.id();
    }

    /**
     * The servable to call.
     *
     * @throws IllegalStateException after {@link #close()}, because the version may be closed by then
     */
    public Servable servable() {
        if (released.get()) {
            throw new IllegalStateException("Handle on servable " + version.id() + " is already closed");
        }
        return version.servable();
    }

    /** Releases the reference; closing twice has no further effect. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            version.release();
        }
    }

    @Override
    public String toString() {
        return "ServableHandle" + version.id();
    }
}
