package dev.servedeck.console.connections;

import dev.servedeck.console.backend.ActiveBackend;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.kit.ListenerList;
import java.util.function.Consumer;

/**
 * The server the console manages now, and switching to another while the console runs (the Connections page's
 * Open, a click on the Fleet page). The pages hold {@link #backend()}, an {@link ActiveBackend} that follows every
 * switch; this class holds a lease on the current server's backend (so a remote one the operator leaves is closed
 * unless the Fleet page still watches it) and tells its listeners which connection is managed now. Thread-safe.
 */
public final class ActiveServer implements AutoCloseable {

    private final OpenBackends backends;
    private final ActiveBackend active;
    private final ListenerList<Connection> switched = new ListenerList<>();
    /** Guarded by {@code this}; held while a switch opens the next backend, which may take a while. */
    private OpenBackends.Lease lease;
    /** Read without the lock: the FX thread asks which server is managed while a switch may be opening one. */
    private volatile Connection current;

    /** Opens {@code first} (the embedded server, or the command line's) at once: the pages need a backend to start. */
    public ActiveServer(OpenBackends backends, Connection first) {
        this.backends = backends;
        this.lease = backends.lease(first);
        this.current = first;
        this.active = new ActiveBackend(lease.backend());
    }

    /** What the pages talk to: always the server managed now. */
    public ConsoleBackend backend() {
        return active;
    }

    /** The server managed now (never waits for a switch in progress). */
    public Connection connection() {
        return current;
    }

    /**
     * Makes {@code target} the server the console manages; nothing happens when it is already. Blocks while its
     * backend opens (secret store, certificates): call off the FX thread.
     *
     * @throws RuntimeException when its backend cannot be made; the console keeps managing the server it had
     */
    public void open(Connection target) {
        OpenBackends.Lease previous;
        synchronized (this) {
            if (lease.connection().equals(target)) {
                return;
            }
            OpenBackends.Lease next = backends.lease(target);
            previous = lease;
            lease = next;
            current = target;
            active.switchTo(next.backend(), "Now managing " + target.name() + " (" + target.addressText() + ")");
        }
        previous.close();
        switched.fire(target);
    }

    /** Called with the connection managed now after each switch (on the thread that switched). */
    public Subscription onSwitched(Consumer<Connection> listener) {
        return switched.add(listener);
    }

    @Override
    public synchronized void close() {
        active.close();
        lease.close();
    }
}
