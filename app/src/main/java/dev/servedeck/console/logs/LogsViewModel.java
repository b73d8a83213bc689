package dev.servedeck.console.logs;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.concurrent.Executor;

/** The Logs page's state and decisions (being built: see issue 6). */
public final class LogsViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;

    public LogsViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
    }
}
