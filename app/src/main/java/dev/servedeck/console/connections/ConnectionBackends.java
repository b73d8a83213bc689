package dev.servedeck.console.connections;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The application's {@link BackendFactory}: the embedded server for the embedded connection, a remote backend for
 * the others, with the token and client key each needs ({@code --token-file}'s for the command line's server, the
 * secret store's for saved ones).
 */
public final class ConnectionBackends implements BackendFactory {

    private final Supplier<? extends ConsoleBackend> embedded;
    private final ConnectionContext context;

    /**
     * @param embedded the console's embedded backend (made on first use where the console started on a remote
     *        server); it belongs to the caller, who closes it
     * @param context the command line's server and token, and the secret store
     */
    public ConnectionBackends(Supplier<? extends ConsoleBackend> embedded, ConnectionContext context) {
        this.embedded = embedded;
        this.context = context;
    }

    @Override
    public ConsoleBackend open(Connection connection) {
        if (connection.isEmbedded()) {
            return embedded.get();
        }
        if (connection.equals(context.active())) {
            // The command line's server: its token came with --token-file and is not in the secret store.
            return remote(connection, context.activeToken(), context.activeClientKey());
        }
        SecretStore secrets = context.secrets().get();
        return remote(connection, secrets.read(connection.tokenAccount()), secrets.read(connection.clientKeyAccount()));
    }

    /** Which remote backend: decided in {@link RemoteBackends}, by asking the server for its admin API. */
    private static ConsoleBackend remote(Connection connection, Optional<String> token, Optional<String> clientKeyPem) {
        return RemoteBackends.open(connection, token, clientKeyPem);
    }
}
