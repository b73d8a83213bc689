package dev.servedeck.console.batching;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.concurrent.Executor;

/** The Batching page's state and decisions (being built: see issue 6). */
public final class BatchingViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;

    public BatchingViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
    }
}
