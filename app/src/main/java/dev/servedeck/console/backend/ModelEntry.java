package dev.servedeck.console.backend;

import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One configured model and the versions the server knows of.
 *
 * @param labels version labels (label -> version)
 * @param versions versions by number, ascending
 */
public record ModelEntry(String name, Path basePath, ServableVersionPolicy policy, SortedMap<String, Long> labels,
        List<VersionEntry> versions) {

    public ModelEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(policy, "policy");
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        versions = List.copyOf(versions);
    }

    public static ModelEntry of(String name, Path basePath, ServableVersionPolicy policy, Map<String, Long> labels,
            List<VersionEntry> versions) {
        return new ModelEntry(name, basePath, policy, new TreeMap<>(labels), versions);
    }
}
