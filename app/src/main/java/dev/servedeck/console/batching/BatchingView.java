package dev.servedeck.console.batching;

import javafx.fxml.FXML;

/** The Batching page: binds to {@link BatchingViewModel}. */
public final class BatchingView {

    private final BatchingViewModel viewModel;

    public BatchingView(BatchingViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        // bindings come with the page
    }
}
