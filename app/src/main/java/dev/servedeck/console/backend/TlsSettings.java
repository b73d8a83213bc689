package dev.servedeck.console.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the console's embedded server, as {@code --ssl_config_file} gives it to the headless one.
 *
 * @param sslConfigFile TF Serving's SSLConfig (PEM inline, or ServeDeck's {@code *_file} fields)
 * @param clientPem the console's own key and certificate (PEM, one file), for an SSL config with
 *     {@code client_verify: true}: the console's REST calls present it like any other client must
 */
public record TlsSettings(Path sslConfigFile, Optional<Path> clientPem) {

    public TlsSettings {
        Objects.requireNonNull(sslConfigFile, "sslConfigFile");
        Objects.requireNonNull(clientPem, "clientPem");
    }
}
