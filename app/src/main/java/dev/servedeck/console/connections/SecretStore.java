package dev.servedeck.console.connections;

import java.util.Optional;

/**
 * Where the console keeps a connection's token and private key: the OS's secret store where there is one
 * ({@link OsSecretStore}), else nowhere beyond this session ({@link SessionSecretStore}): the console never
 * writes a secret to a preference or a plain file. Calls may block (a D-Bus round trip, an unlock prompt): make
 * them off the FX thread.
 */
public interface SecretStore {

    Optional<String> read(String account);

    /** Stores {@code secret}, replacing what {@code account} held. */
    void write(String account, String secret);

    /** Forgets {@code account}; nothing happens when it held nothing. */
    void delete(String account);

    /** True when secrets outlive the console (the OS store), false when they last this session only. */
    boolean persistent();

    /** For the operator: where secrets go ("the OS secret store (libsecret)", "this session only: ..."). */
    String description();
}
