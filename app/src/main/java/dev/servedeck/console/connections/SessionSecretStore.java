package dev.servedeck.console.connections;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets for this session only, on a machine without an OS secret store (a headless server, a desktop without a
 * keyring daemon). The console then refuses to save a token or key and asks for it again after a restart.
 *
 * <p>Why not an encrypted file instead: its key would have to live on the same disk (which only hides the
 * secret) or come from a master password the operator types at every start (which asks each time anyway, with
 * one more thing to forget). Asking each time is honest about what the machine offers; a token file given with
 * {@code --token-file} remains for unattended use, protected by the file system as the operator chooses.
 */
public final class SessionSecretStore implements SecretStore {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final String why;

    /** @param why why there is no OS store (shown to the operator) */
    public SessionSecretStore(String why) {
        this.why = why;
    }

    @Override
    public Optional<String> read(String account) {
        return Optional.ofNullable(secrets.get(account));
    }

    @Override
    public void write(String account, String secret) {
        secrets.put(account, secret);
    }

    @Override
    public void delete(String account) {
        secrets.remove(account);
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public String description() {
        return "this session only (not saved, asked for again after a restart: " + why + ")";
    }
}
