package dev.servedeck.core;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.servable.Servable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * {@code --enable_per_model_batching_parameters}: a version folder's {@code batching_params.pbtxt} is read
 * when the version loads (an invalid file fails the load, naming the file) and remembered for the loaded
 * servable, until the servable is unloaded and collected.
 */
final class PerModelBatchingOptions {

    /** Keyed by servable identity (servables do not override equals); weak, so unloaded versions drop out. */
    private final Map<Servable, BatchingOptions> byServable = Collections.synchronizedMap(new WeakHashMap<>());

    /** A loader that reads the version's batching parameters before loading it. */
    Loader wrap(Path versionDir, Loader loader) {
        return new Loader() {
            @Override
            public Servable load() throws Exception {
                Optional<BatchingOptions> own = BatchingParametersFile.readPerModel(versionDir);
                Servable servable = loader.load();
                own.ifPresent(options -> byServable.put(servable, options));
                return servable;
            }

            @Override
            public String toString() {
                return loader.toString();
            }
        };
    }

    Optional<BatchingOptions> of(Servable servable) {
        return Optional.ofNullable(byServable.get(servable));
    }
}
