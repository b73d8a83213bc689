package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.ConsoleBackend;
import java.util.concurrent.Executor;

/** The Monitor page's state and decisions (being built: see issue 6). */
public final class MonitorViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;

    public MonitorViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
    }
}
