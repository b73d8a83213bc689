package dev.servedeck.console.connections;

import java.nio.file.Path;
import dev.servedeck.console.backend.tfserving.TfServingHints;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote connections, one child node of the console's preferences per connection ({@code connections/<id>}:
 * name, address, CA and client certificate paths). The embedded server is always first and never stored. Only
 * {@link Connection}'s fields are written, and it has no secret ones: tokens and keys go to the
 * {@link SecretStore}.
 */
public final class ConnectionStore {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStore.class);

    private final Preferences node;

    /** @param node the console's {@code connections} node ({@code ConsolePreferences.connectionsNode()}) */
    public ConnectionStore(Preferences node) {
        this.node = node;
    }

    /** The embedded server, then the remote connections by name. A broken entry is skipped and logged. */
    public List<Connection> load() {
        List<Connection> remote = new ArrayList<>();
        try {
            for (String id : node.childrenNames()) {
                read(node.node(id), id).ifPresent(remote::add);
            }
        } catch (BackingStoreException e) {
            LOG.warn("Could not read the saved connections: {}", e.getMessage());
        }
        remote.sort(Comparator.comparing(Connection::name, String.CASE_INSENSITIVE_ORDER));
        List<Connection> all = new ArrayList<>();
        all.add(Connection.EMBEDDED);
        all.addAll(remote);
        return all;
    }

    /**
     * Every server the console knows: the embedded one, the command line's ({@code --server}, never saved) when
     * given, then the saved ones by name.
     */
    public List<Connection> loadWith(Optional<Connection> commandLine) {
        List<Connection> all = load();
        commandLine.ifPresent(given -> all.add(1, given));
        return all;
    }

    private static Optional<Connection> read(Preferences entry, String id) {
        try {
            return Optional.of(new Connection(id, entry.get("name", id), Connection.parseAddress(entry.get("address", "")),
                    path(entry.get("caCert", "")), path(entry.get("clientCert", "")),
                    entry.getInt("grpcPort", 0) > 0 ? OptionalInt.of(entry.getInt("grpcPort", 0)) : OptionalInt.empty(),
                    tfServing(entry)));
        } catch (RuntimeException e) {
            LOG.warn("Skipping the saved connection {}: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    /** The model names (comma-separated) and Prometheus URL kept for a plain TF Serving; absent keys: none. */
    private static TfServingHints tfServing(Preferences entry) {
        String prometheus = entry.get("tfServingPrometheus", "");
        return new TfServingHints(List.of(entry.get("tfServingModels", "").split(",")),
                prometheus.isBlank() ? Optional.empty() : Optional.of(URI.create(prometheus)));
    }

    private static Optional<Path> path(String text) {
        return text.isBlank() ? Optional.empty() : Optional.of(Path.of(text));
    }

    /** Adds or replaces {@code connection} (not the embedded server) and writes it through. */
    public void save(Connection connection) {
        if (connection.isEmbedded()) {
            throw new IllegalArgumentException("The embedded server is not a saved connection");
        }
        Preferences entry = node.node(connection.id());
        entry.put("name", connection.name());
        entry.put("address", connection.address().toString());
        entry.put("caCert", connection.caCert().map(Path::toString).orElse(""));
        entry.put("clientCert", connection.clientCert().map(Path::toString).orElse(""));
        entry.putInt("grpcPort", connection.grpcPort().orElse(0));
        entry.put("tfServingModels", String.join(",", connection.tfServing().modelNames()));
        entry.put("tfServingPrometheus", connection.tfServing().prometheus().map(URI::toString).orElse(""));
        flush();
    }

    public void remove(Connection connection) {
        try {
            if (node.nodeExists(connection.id())) {
                node.node(connection.id()).removeNode();
            }
        } catch (BackingStoreException e) {
            throw new IllegalStateException("Could not remove " + connection.name() + ": " + e.getMessage(), e);
        }
        flush();
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("Could not write the connections to the preferences: {}", e.getMessage());
        }
    }
}
