package dev.servedeck.console.connections;

import dev.servedeck.console.backend.ConsoleBackend;

/**
 * Makes the backend that manages a connection's server. The seam between the console's switching and fleet view
 * and the kinds of backend there are: the application's is {@link ConnectionBackends}; tests give servers of their
 * own.
 */
@FunctionalInterface
public interface BackendFactory {

    /**
     * A backend for {@code connection}, ready for calls (a remote one connects in the background and reports what
     * it can reach through its status). May block briefly (the secret store, certificate files): never called on
     * the FX thread, except for the connection the console starts with.
     *
     * @throws RuntimeException when no backend can be made (a missing certificate file); the caller shows why
     */
    ConsoleBackend open(Connection connection);
}
