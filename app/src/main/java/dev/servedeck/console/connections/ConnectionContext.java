package dev.servedeck.console.connections;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the console was started with respect to connections: which server it manages (the embedded one, or
 * {@code --server}'s with its {@code --token-file} token and {@code --client-key} key, never stored) and where secrets go (opened in the background, since
 * finding the OS secret store may take a D-Bus round trip).
 */
public record ConnectionContext(Connection active, Optional<String> activeToken, Optional<String> activeClientKey,
        Supplier<SecretStore> secrets) {

    /** Without a client key of the command line's ({@code --client-key}). */
    public ConnectionContext(Connection active, Optional<String> activeToken, Supplier<SecretStore> secrets) {
        this(active, activeToken, Optional.empty(), secrets);
    }

    public ConnectionContext {
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(activeToken, "activeToken");
        Objects.requireNonNull(activeClientKey, "activeClientKey");
        Objects.requireNonNull(secrets, "secrets");
        // The Connections page and the backends of saved connections share one store: opened once, on first use.
        if (!(secrets instanceof OpenedOnce)) {
            secrets = new OpenedOnce(secrets);
        }
    }

    /** Opens the store on the first call (which may block on a D-Bus round trip) and hands the same one after. */
    private static final class OpenedOnce implements Supplier<SecretStore> {

        private final Supplier<SecretStore> open;
        private SecretStore store;

        OpenedOnce(Supplier<SecretStore> open) {
            this.open = open;
        }

        @Override
        public synchronized SecretStore get() {
            if (store == null) {
                store = open.get();
            }
            return store;
        }
    }

    /** The embedded server, secrets in the OS store where there is one. */
    public static ConnectionContext embedded() {
        return new ConnectionContext(Connection.EMBEDDED, Optional.empty(), OsSecretStore::open);
    }
}
