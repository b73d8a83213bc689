package dev.servedeck.core.tensorflow;

import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.warmup.ModelWarmup;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads one SavedModel version directory. Construction only remembers the path; the work (parsing,
 * restoring variables, running the init op, then replaying the version's warmup requests) happens in
 * {@link #load()}, so the version is LOADING until its warmup has finished.
 */
public final class SavedModelLoader implements Loader {

    private final Path versionDir;
    private final TensorflowOptions options;
    private final TensorByteLimit warmupLimit;

    /** A loader whose warmup records may declare up to {@link TensorByteLimit#DEFAULT} bytes of tensors. */
    public SavedModelLoader(Path versionDir, TensorflowOptions options) {
        this(versionDir, options, TensorByteLimit.DEFAULT);
    }

    /**
     * @param warmupLimit the bound on each warmup record's input tensors: the server's own, so that a warmup file
     *     cannot make the server allocate what no client may ask for
     */
    public SavedModelLoader(Path versionDir, TensorflowOptions options, TensorByteLimit warmupLimit) {
        this.versionDir = Objects.requireNonNull(versionDir, "versionDir");
        this.options = Objects.requireNonNull(options, "options");
        this.warmupLimit = Objects.requireNonNull(warmupLimit, "warmupLimit");
    }

    /**
     * @throws dev.servedeck.core.status.ServingException with a one-line message naming the directory when
     *     it holds no loadable SavedModel, or naming the warmup file and record when warmup fails (the
     *     loaded model is closed again)
     */
    @Override
    public SavedModelServable load() {
        SavedModelServable servable = SavedModelServable.load(versionDir, options);
        if (options.warmup().enabled()) {
            try {
                ModelWarmup.replay(servable, servable.exportDir(), options.warmup().requestIterations(),
                        warmupLimit);
            } catch (RuntimeException | Error e) {
                servable.close();
                throw e;
            }
        }
        return servable;
    }

    public Path versionDir() {
        return versionDir;
    }

    @Override
    public String toString() {
        return "SavedModelLoader[" + versionDir + "]";
    }
}
