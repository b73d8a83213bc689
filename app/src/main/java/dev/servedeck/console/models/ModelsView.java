package dev.servedeck.console.models;

import javafx.fxml.FXML;

/** The Models page: binds to {@link ModelsViewModel}. */
public final class ModelsView {

    private final ModelsViewModel viewModel;

    public ModelsView(ModelsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        // bindings come with the page
    }
}
