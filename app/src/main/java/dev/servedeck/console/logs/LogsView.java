package dev.servedeck.console.logs;

import javafx.fxml.FXML;

/** The Logs page: binds to {@link LogsViewModel}. */
public final class LogsView {

    private final LogsViewModel viewModel;

    public LogsView(LogsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        // bindings come with the page
    }
}
