package dev.servedeck.console.monitor;

import javafx.fxml.FXML;

/** The Monitor page: binds to {@link MonitorViewModel}. */
public final class MonitorView {

    private final MonitorViewModel viewModel;

    public MonitorView(MonitorViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        // bindings come with the page
    }
}
