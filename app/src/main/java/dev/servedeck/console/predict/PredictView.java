package dev.servedeck.console.predict;

import javafx.fxml.FXML;

/** The Predict page: binds to {@link PredictViewModel}. */
public final class PredictView {

    private final PredictViewModel viewModel;

    public PredictView(PredictViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        // bindings come with the page
    }
}
