package dev.servedeck.console.backend;

import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadRunner;
import java.io.IOException;
import java.util.concurrent.ExecutionException;

/**
 * One load target (model, version, body, API) started plan after plan through {@link ConsoleBackend#startLoad}: what
 * the Monitor's concurrency sweep and the Batching page's tuner run. Called on their own threads, never the FX
 * thread: it waits for each run's connections.
 */
public final class BackendLoadRunner implements LoadRunner {

    private final ConsoleBackend backend;
    private final LoadSpec spec;

    public BackendLoadRunner(ConsoleBackend backend, LoadSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    @Override
    public LoadRun start(LoadPlan plan) throws IOException, InterruptedException {
        try {
            return backend.startLoad(spec.withPlan(plan)).get();
        } catch (ExecutionException e) {
            throw new IOException(Failures.message(e), e.getCause());
        }
    }
}
