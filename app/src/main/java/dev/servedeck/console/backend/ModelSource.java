package dev.servedeck.console.backend;

import java.nio.file.Path;
import java.util.Objects;

/** What the embedded server serves when it starts. */
public sealed interface ModelSource {

    /** The generated demo models (written under {@code root} on first use). */
    record Demo(Path root) implements ModelSource {
        public Demo {
            Objects.requireNonNull(root, "root");
        }
    }

    /** A TF Serving model config file (text format). */
    record ConfigFile(Path file) implements ModelSource {
        public ConfigFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** One model: a base path with numeric version folders. */
    record BasePath(String name, Path basePath) implements ModelSource {
        public BasePath {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(basePath, "basePath");
        }
    }
}
