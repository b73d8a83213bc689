package dev.servedeck.console.predict;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.concurrent.Executor;

/** The Predict page's state and decisions (being built: see issue 6). */
public final class PredictViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;

    public PredictViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
    }
}
