package dev.servedeck.console.connections;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.remote.RemoteBackend;
import dev.servedeck.console.backend.tfserving.AdminApiProbe;
import dev.servedeck.console.backend.tfserving.TfServingBackend;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one decision of which backend manages a remote server: a ServeDeck server with its admin API gets the remote
 * backend; a server whose GetServerInfo answers UNIMPLEMENTED (a plain tensorflow_model_server, or ServeDeck with
 * {@code --admin_api=false}) gets {@link TfServingBackend}, reduced mode. A server that does not answer gets the
 * remote backend, which shows it unreachable and keeps trying (most remote servers are ServeDeck's).
 */
public final class RemoteBackends {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteBackends.class);

    /** Long enough for a TLS handshake over a slow link; the console shows "Opening…" meanwhile. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(3);

    private RemoteBackends() {
    }

    /** Blocks for the probe (at most {@link #PROBE_DEADLINE}): call it off the FX thread. */
    public static ConsoleBackend open(Connection connection, Optional<String> token, Optional<String> clientKeyPem) {
        if (AdminApiProbe.ask(connection, token, clientKeyPem, PROBE_DEADLINE) == AdminApiProbe.Answer.TF_SERVING_ONLY) {
            LOG.info("{} has no ServeDeck admin API (GetServerInfo: UNIMPLEMENTED): managed as a plain TensorFlow"
                    + " Serving, in reduced mode", connection.name());
            return TfServingBackend.connect(connection, token, clientKeyPem);
        }
        // It starts connecting at once (and retries by itself), so a page or the Fleet page opened on it sees
        // Connecting, then Running or why not.
        RemoteBackend backend = RemoteBackend.connect(connection, token, clientKeyPem);
        backend.start(null);
        return backend;
    }
}
