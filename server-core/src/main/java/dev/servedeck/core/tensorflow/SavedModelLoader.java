package dev.servedeck.core.tensorflow;

import dev.servedeck.core.lifecycle.Loader;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads one SavedModel version directory. Construction only remembers the path; the work (parsing,
 * restoring variables, running the init op) happens in {@link #load()}.
 */
public final class SavedModelLoader implements Loader {

    private final Path versionDir;
    private final TensorflowOptions options;

    public SavedModelLoader(Path versionDir, TensorflowOptions options) {
        this.versionDir = Objects.requireNonNull(versionDir, "versionDir");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @throws dev.servedeck.core.status.ServingException with a one-line message naming the directory when
     *     it holds no loadable SavedModel
     */
    @Override
    public SavedModelServable load() {
        return SavedModelServable.load(versionDir, options);
    }

    public Path versionDir() {
        return versionDir;
    }

    @Override
    public String toString() {
        return "SavedModelLoader[" + versionDir + "]";
    }
}
