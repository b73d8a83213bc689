package dev.servedeck.console.connections;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS's secret store through java-keyring: libsecret's Secret Service (GNOME Keyring, KWallet's bridge) on
 * Linux, the Keychain on macOS, the Credential Manager on Windows. Entries are filed under the service
 * {@value #SERVICE} with the connection's account ({@link Connection#tokenAccount()}).
 *
 * <p>{@link #open()} proves the store works with a probe entry written, read back and deleted: on Linux the
 * library loads even when no Secret Service answers on the session bus (a headless box, an ssh session), and
 * only a real round trip tells.
 */
public final class OsSecretStore implements SecretStore {

    private static final Logger LOG = LoggerFactory.getLogger(OsSecretStore.class);
    static final String SERVICE = "dev.servedeck.console";

    private final Keyring keyring;

    private OsSecretStore(Keyring keyring) {
        this.keyring = keyring;
    }

    /**
     * The OS store if it works here, else a {@link SessionSecretStore} saying why not. Blocks (D-Bus, maybe an
     * unlock prompt): call off the FX thread.
     */
    public static SecretStore open() {
        Keyring keyring;
        try {
            keyring = Keyring.create();
        } catch (BackendNotSupportedException | RuntimeException | LinkageError e) {
            LOG.info("No OS secret store: {}; tokens and keys are kept for this session only", e.getMessage());
            return new SessionSecretStore("no secret store on this system: " + e.getMessage());
        }
        String probe = "probe/" + UUID.randomUUID();
        try {
            keyring.setPassword(SERVICE, probe, "probe");
            String back = keyring.getPassword(SERVICE, probe);
            keyring.deletePassword(SERVICE, probe);
            if (!"probe".equals(back)) {
                throw new PasswordAccessException("a probe entry read back wrong");
            }
        } catch (PasswordAccessException | RuntimeException | LinkageError e) {
            LOG.info("The OS secret store ({}) does not answer: {}; tokens and keys are kept for this session only",
                    keyring.getKeyringStorageType(), e.getMessage());
            return new SessionSecretStore("the " + keyring.getKeyringStorageType() + " store does not answer: "
                    + e.getMessage());
        }
        LOG.info("Tokens and keys go to the OS secret store ({})", keyring.getKeyringStorageType());
        return new OsSecretStore(keyring);
    }

    @Override
    public Optional<String> read(String account) {
        try {
            return Optional.ofNullable(keyring.getPassword(SERVICE, account));
        } catch (PasswordAccessException e) {
            return Optional.empty(); // the library reports a missing entry this way too
        }
    }

    @Override
    public void write(String account, String secret) {
        try {
            keyring.setPassword(SERVICE, account, secret);
        } catch (PasswordAccessException e) {
            throw new IllegalStateException("The OS secret store refused to save it: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String account) {
        try {
            keyring.deletePassword(SERVICE, account);
        } catch (PasswordAccessException e) {
            LOG.debug("Nothing to delete for {}: {}", account, e.getMessage());
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public String description() {
        return "the OS secret store (" + keyring.getKeyringStorageType() + ")";
    }
}
