package dev.servedeck.core.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS for both front ends, after tensorflow_model_server's {@code --ssl_config_file}.
 *
 * @param sslConfigFile TF Serving's SSLConfig in protobuf text format
 * @param pollInterval how often the config (and the PEM files it names) is checked for new certificates
 *     ({@code --ssl_config_file_poll_wait_seconds}); zero reads it once
 */
public record TlsOptions(Path sslConfigFile, Duration pollInterval) {

    /** Often enough for any rotation (cert-manager renews weeks ahead), rarely enough to cost nothing. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);

    public TlsOptions {
        Objects.requireNonNull(sslConfigFile, "sslConfigFile");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval must not be negative, was " + pollInterval);
        }
    }

    public static TlsOptions of(Path sslConfigFile) {
        return new TlsOptions(sslConfigFile, DEFAULT_POLL_INTERVAL);
    }
}
