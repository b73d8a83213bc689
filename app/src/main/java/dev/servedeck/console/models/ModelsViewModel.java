package dev.servedeck.console.models;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.concurrent.Executor;

/** The Models page's state and decisions (being built: see issue 6). */
public final class ModelsViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;

    public ModelsViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
    }
}
