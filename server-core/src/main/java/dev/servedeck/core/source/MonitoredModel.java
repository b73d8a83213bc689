package dev.servedeck.core.source;

import java.nio.file.Path;
import java.util.Objects;

/** A model the file system source watches: its stream name, the folder holding its version folders, and which versions to serve. */
public record MonitoredModel(String name, Path basePath, ServableVersionPolicy policy) {

    public MonitoredModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(policy, "policy");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A monitored model needs a name");
        }
    }
}
