package dev.servedeck.core.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do, as named in {@code --auth_tokens_file}. Scopes do not imply one another, with one exception:
 * {@code admin} includes {@code monitor}, since nobody can administer a server without seeing it. A token that
 * should both predict and reload lists {@code predict,admin}, so that a leaked predict token never administers, and
 * a leaked monitor token only watches.
 */
public enum Scope {
    /** Inference and reading a model's status and metadata. */
    PREDICT,
    /** Changing what the server serves: ReloadConfig now, every admin operation to come. */
    ADMIN,
    /** Reading the Prometheus metrics path. */
    METRICS,
    /**
     * Watching through the admin API without changing anything: server info, models and their states, batching
     * parameters, the model config, live statistics, events and the request log tail (a fleet view, a wall display).
     */
    MONITOR;

    /** The scope as written in the token file. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a token holding this scope may do what {@code needed} allows: the same scope, or admin for monitor. */
    boolean grants(Scope needed) {
        return this == needed || (this == ADMIN && needed == MONITOR);
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
