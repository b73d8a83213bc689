package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Servable;

/**
 * Knows how to load one servable version. Cheap to construct (it holds only a path or similar) so a
 * source can make one for every version it sees; the expensive work happens in {@link #load()}, which
 * the manager calls at most once per loader, on its load pool.
 */
@FunctionalInterface
public interface Loader {

    /**
     * Loads the version.
     *
     * @throws Exception any failure; the manager records it as the version's error status (END state)
     */
    Servable load() throws Exception;
}
