package dev.servedeck.console.backend;

import dev.servedeck.core.servable.ManagerState;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a model as the server's state monitor last saw it.
 *
 * @param error the load or serving error in words (empty when none)
 * @param since when it entered {@code state}
 */
public record VersionEntry(long version, ManagerState state, String error, Instant since) {

    public VersionEntry {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(since, "since");
    }

    public boolean failed() {
        return !error.isEmpty();
    }
}
