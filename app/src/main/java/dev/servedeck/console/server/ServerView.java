package dev.servedeck.console.server;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.shell.StateStyles;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** The Server page: binds to {@link ServerViewModel}, nothing else. */
public final class ServerView {

    private final ServerViewModel viewModel;

    @FXML private Label state;
    @FXML private Label uptime;
    @FXML private Label models;
    @FXML private Label versions;
    @FXML private Label heap;
    @FXML private Label failure;
    @FXML private VBox endpoints;
    @FXML private TextField host;
    @FXML private TextField restPort;
    @FXML private TextField grpcPort;
    @FXML private CheckBox grpcEnabled;
    @FXML private CheckBox batching;
    @FXML private Label settingsError;
    @FXML private Button start;
    @FXML private Button stop;
    @FXML private Button restart;
    @FXML private ProgressIndicator busy;

    public ServerView(ServerViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        state.textProperty().bind(Bindings.createStringBinding(
                () -> StateStyles.serverStateText(viewModel.stateProperty().get()), viewModel.stateProperty()));
        viewModel.stateProperty().addListener((obs, old, now) -> StateStyles.apply(state, now));
        StateStyles.apply(state, viewModel.stateProperty().get());
        uptime.textProperty().bind(viewModel.uptimeProperty());
        models.textProperty().bind(viewModel.modelsProperty());
        versions.textProperty().bind(viewModel.versionsProperty());
        heap.textProperty().bind(viewModel.heapProperty());
        failure.textProperty().bind(viewModel.failureProperty());
        failure.managedProperty().bind(failure.textProperty().isNotEmpty());
        settingsError.textProperty().bind(viewModel.settingsErrorProperty());
        settingsError.managedProperty().bind(settingsError.textProperty().isNotEmpty());

        host.textProperty().bindBidirectional(viewModel.hostProperty());
        restPort.textProperty().bindBidirectional(viewModel.restPortProperty());
        grpcPort.textProperty().bindBidirectional(viewModel.grpcPortProperty());
        grpcPort.disableProperty().bind(viewModel.grpcEnabledProperty().not());
        grpcEnabled.selectedProperty().bindBidirectional(viewModel.grpcEnabledProperty());
        batching.selectedProperty().bindBidirectional(viewModel.batchingProperty());

        viewModel.endpoints().addListener((javafx.collections.ListChangeListener<String>) change -> showEndpoints());
        showEndpoints();

        start.disableProperty().bind(viewModel.canStartProperty().not());
        stop.disableProperty().bind(viewModel.canStopProperty().not());
        restart.disableProperty().bind(viewModel.busyProperty());
        busy.visibleProperty().bind(viewModel.busyProperty());
        start.setOnAction(event -> viewModel.start());
        stop.setOnAction(event -> viewModel.stop());
        restart.setOnAction(event -> viewModel.restart());
    }

    private void showEndpoints() {
        endpoints.getChildren().setAll(viewModel.endpoints().stream().map(line -> {
            Label label = new Label(line);
            label.getStyleClass().add(dev.servedeck.ui.StyleClasses.CODE);
            return label;
        }).toList());
    }

    /** Used by the status bar and keyboard shortcuts. */
    public ServerStatus.State state() {
        return viewModel.stateProperty().get();
    }
}
