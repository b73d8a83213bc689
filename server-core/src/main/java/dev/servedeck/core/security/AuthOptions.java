package dev.servedeck.core.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call the server.
 *
 * @param tokensFile {@code --auth_tokens_file}: bearer tokens with scopes; empty serves everyone (TF Serving's way)
 * @param tokensFileCheckInterval how often the token file is read again to pick up added and revoked tokens
 * @param exposureWarningInterval how often the warning about an API reachable from the network without tokens is
 *     repeated after the one at start
 */
public record AuthOptions(Optional<Path> tokensFile, Duration tokensFileCheckInterval,
        Duration exposureWarningInterval) {

    public static final Duration DEFAULT_TOKENS_FILE_CHECK_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_EXPOSURE_WARNING_INTERVAL = Duration.ofHours(1);

    public AuthOptions {
        Objects.requireNonNull(tokensFile, "tokensFile");
        if (tokensFileCheckInterval.isNegative() || tokensFileCheckInterval.isZero()) {
            throw new IllegalArgumentException("tokensFileCheckInterval must be positive");
        }
        if (exposureWarningInterval.isNegative() || exposureWarningInterval.isZero()) {
            throw new IllegalArgumentException("exposureWarningInterval must be positive");
        }
    }

    /** No tokens. */
    public static AuthOptions none() {
        return new AuthOptions(Optional.empty(), DEFAULT_TOKENS_FILE_CHECK_INTERVAL, DEFAULT_EXPOSURE_WARNING_INTERVAL);
    }

    public AuthOptions withTokensFile(Path file) {
        return new AuthOptions(Optional.of(file), tokensFileCheckInterval, exposureWarningInterval);
    }

    public AuthOptions withTokensFileCheckInterval(Duration interval) {
        return new AuthOptions(tokensFile, interval, exposureWarningInterval);
    }

    public AuthOptions withExposureWarningInterval(Duration interval) {
        return new AuthOptions(tokensFile, tokensFileCheckInterval, interval);
    }
}
