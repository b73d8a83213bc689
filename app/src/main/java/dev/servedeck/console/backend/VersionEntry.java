package dev.servedeck.console.backend;

import dev.servedeck.core.servable.ManagerState;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a model as the server's state monitor last saw it.
 *
 * @param error the load or serving error in words (empty when none)
 * @param note what a version in START waits for before it can load, e.g. {@code waiting for
 *     variables/variables.index} while it is still being copied (empty when none); not an error
 * @param since when it entered {@code state}
 */
public record VersionEntry(long version, ManagerState state, String error, String note, Instant since) {

    public VersionEntry {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(since, "since");
    }

    /** A version with nothing to note. */
    public VersionEntry(long version, ManagerState state, String error, Instant since) {
        this(version, state, error, "", since);
    }

    public boolean failed() {
        return !error.isEmpty();
    }
}
