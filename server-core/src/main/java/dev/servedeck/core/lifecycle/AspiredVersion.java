package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ServableId;
import java.util.Objects;

/** A version a source wants served, with the loader that can bring it up. */
public record AspiredVersion(ServableId id, Loader loader) {

    public AspiredVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(loader, "loader");
    }
}
