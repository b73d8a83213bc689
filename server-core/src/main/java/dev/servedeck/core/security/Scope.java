package dev.servedeck.core.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do, as named in {@code --auth_tokens_file}. Scopes do not imply one another: a token that
 * should both predict and reload lists {@code predict,admin}, so that a leaked predict token never administers.
 */
public enum Scope {
    /** Inference and reading a model's status and metadata. */
    PREDICT,
    /** Changing what the server serves: ReloadConfig now, every admin operation to come. */
    ADMIN,
    /** Reading the Prometheus metrics path. */
    METRICS;

    /** The scope as written in the token file. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope a token file names, exactly (scopes are lower case there). */
    static Optional<Scope> ofFileName(String name) {
        for (Scope scope : values()) {
            if (scope.fileName().equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
