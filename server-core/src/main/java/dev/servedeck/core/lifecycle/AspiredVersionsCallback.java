package dev.servedeck.core.lifecycle;

import java.util.List;

/**
 * How a source declares what it wants served. Each call gives the <em>complete</em> set of aspired
 * versions of one stream: a version left out is to be unloaded, an empty list unloads the whole stream.
 */
@FunctionalInterface
public interface AspiredVersionsCallback {

    void setAspiredVersions(String servableName, List<AspiredVersion> versions);
}
