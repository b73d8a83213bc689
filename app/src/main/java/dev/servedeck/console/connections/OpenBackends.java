package dev.servedeck.console.connections;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends the console has open, one per connection, each kept open while someone holds a {@link Lease} on it:
 * the server the console manages (its {@link ActiveServer}) and the servers the Fleet page watches. A remote
 * backend nobody leases any more is closed at once (its connections and streams cost the server and the console);
 * the embedded server's backend is never closed here, because the embedded server is the console's own and keeps
 * serving when the operator looks elsewhere (its maker closes it with the console).
 *
 * <p>A connection is keyed by its whole record: a connection edited to a new address is a new backend. Thread-safe;
 * {@link #lease} may block (the factory reads the secret store), so call it off the FX thread.
 */
public final class OpenBackends implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenBackends.class);

    private final BackendFactory factory;
    private final Map<Connection, Entry> open = new HashMap<>();
    private boolean closed;

    private static final class Entry {
        final ConsoleBackend backend;
        int leases;

        Entry(ConsoleBackend backend) {
            this.backend = backend;
        }
    }

    public OpenBackends(BackendFactory factory) {
        this.factory = factory;
    }

    /** A hold on {@code connection}'s backend, opening it if nobody holds one. */
    public synchronized Lease lease(Connection connection) {
        if (closed) {
            throw new IllegalStateException("The console is closing");
        }
        Entry entry = open.get(connection);
        if (entry == null) {
            // Under the lock, so two pages asking at once share one backend; the factory only builds it (a remote
            // backend connects in the background).
            entry = new Entry(factory.open(connection));
            open.put(connection, entry);
            LOG.debug("Opened the backend of {}", connection.name());
        }
        entry.leases++;
        return new Lease(connection, entry.backend);
    }

    /** Whether {@code connection}'s backend is open now. */
    public synchronized boolean isOpen(Connection connection) {
        return open.containsKey(connection);
    }

    private void release(Connection connection) {
        ConsoleBackend closing = null;
        synchronized (this) {
            Entry entry = open.get(connection);
            if (entry == null) {
                return;
            }
            entry.leases--;
            if (entry.leases <= 0 && !connection.isEmbedded()) {
                open.remove(connection);
                closing = entry.backend;
            }
        }
        if (closing != null) {
            LOG.debug("Closing the backend of {}: nobody watches it", connection.name());
            closing.close();
        }
    }

    /** Closes every remote backend, held or not (the console is closing). */
    @Override
    public void close() {
        List<ConsoleBackend> closing = new ArrayList<>();
        synchronized (this) {
            closed = true;
            open.forEach((connection, entry) -> {
                if (!connection.isEmbedded()) {
                    closing.add(entry.backend);
                }
            });
            open.clear();
        }
        closing.forEach(ConsoleBackend::close);
    }

    /** A hold on one backend; closing it (once) lets the backend close when nobody else holds it. */
    public final class Lease implements AutoCloseable {

        private final Connection connection;
        private final ConsoleBackend backend;
        private boolean released;

        private Lease(Connection connection, ConsoleBackend backend) {
            this.connection = connection;
            this.backend = backend;
        }

        public Connection connection() {
            return connection;
        }

        public ConsoleBackend backend() {
            return backend;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(connection);
        }
    }
}
