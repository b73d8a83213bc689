package dev.servedeck.core.main;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.lifecycle.LoadRetries;
import picocli.CommandLine.Option;

/** tensorflow_model_server's flags for how versions load and unload: threads and retries. */
final class ModelLoadingFlags {

    /** ServeDeck's load threads when the flag leaves it to the server (0). */
    static final int DEFAULT_LOAD_THREADS = 2;
    /** ServeDeck's unload threads when the flag leaves it to the server (0). */
    static final int DEFAULT_UNLOAD_THREADS = 1;

    @Option(names = "--num_load_threads", paramLabel = "N", defaultValue = "0",
            description = "Versions loaded at the same time; 0 (default) keeps ServeDeck's " + DEFAULT_LOAD_THREADS
                    + " (tensorflow_model_server loads with 4 x cores at start-up, then one at a time).")
    int numLoadThreads;

    @Option(names = "--num_unload_threads", paramLabel = "N", defaultValue = "0",
            description = "Versions unloaded at the same time; 0 (default) means " + DEFAULT_UNLOAD_THREADS + ".")
    int numUnloadThreads;

    @Option(names = "--max_num_load_retries", paramLabel = "N", defaultValue = "5",
            description = "Times a failed load is tried again before the version goes to END with the error; 0 tries "
                    + "once (default ${DEFAULT-VALUE}). Meanwhile the version is LOADING and its status counts the "
                    + "attempts.")
    int maxNumLoadRetries;

    @Option(names = "--load_retry_interval_micros", paramLabel = "MICROS", defaultValue = "60000000",
            description = "Wait between a failed load and the next attempt, in microseconds (default one minute); "
                    + "negative does not wait.")
    long loadRetryIntervalMicros;

    /** @throws IllegalArgumentException for negative thread or retry counts, naming the flag */
    ServerCoreOptions applyTo(ServerCoreOptions core) {
        if (numLoadThreads < 0 || numUnloadThreads < 0 || maxNumLoadRetries < 0) {
            throw new IllegalArgumentException("--num_load_threads, --num_unload_threads and --max_num_load_retries "
                    + "must not be negative");
        }
        return core
                .withLoadThreads(numLoadThreads > 0 ? numLoadThreads : DEFAULT_LOAD_THREADS,
                        numUnloadThreads > 0 ? numUnloadThreads : DEFAULT_UNLOAD_THREADS)
                .withLoadRetries(LoadRetries.of(maxNumLoadRetries, loadRetryIntervalMicros));
    }
}
