package dev.servedeck.console.connections;

import dev.servedeck.console.kit.OperationStateControls;
import dev.servedeck.ui.StyleClasses;
import java.io.File;
import javafx.beans.property.StringProperty;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The Connections page: binds the list and the form to {@link ConnectionsViewModel}; file choosers and the remove
 * confirmation live here because they are windows. */
public final class ConnectionsView {

    private final ConnectionsViewModel viewModel;

    @FXML private VBox root;
    @FXML private Label managed;
    @FXML private Label secretStore;
    @FXML private ListView<Connection> list;
    @FXML private Button add;
    @FXML private Button edit;
    @FXML private Button test;
    @FXML private Button remove;
    @FXML private Button open;
    @FXML private Label details;
    @FXML private ProgressIndicator busy;
    @FXML private Label busyText;
    @FXML private Label notice;
    @FXML private Label failure;
    @FXML private GridPane form;
    @FXML private TextField name;
    @FXML private TextField address;
    @FXML private TextField caCert;
    @FXML private Button chooseCaCert;
    @FXML private TextField clientCert;
    @FXML private TextField tfServingModels;
    @FXML private TextField prometheus;
    @FXML private Button chooseClientCert;
    @FXML private TextField clientKey;
    @FXML private Button chooseClientKey;
    @FXML private PasswordField token;
    @FXML private Label formError;
    @FXML private Button save;
    @FXML private Button cancel;

    public ConnectionsView(ConnectionsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        managed.textProperty().bind(viewModel.managedProperty());
        secretStore.textProperty().bind(viewModel.secretStoreTextProperty());
        details.textProperty().bind(viewModel.detailsProperty());
        OperationStateControls.bind(viewModel.operation(), busy, busyText, notice, failure);

        list.setItems(viewModel.connections());
        list.setCellFactory(view -> new ListCell<>() {
            @Override
            protected void updateItem(Connection connection, boolean empty) {
                super.updateItem(connection, empty);
                setText(empty || connection == null ? null : connection.name() + "\n" + connection.addressText());
                getStyleClass().remove(StyleClasses.CONNECTION_NAME);
                if (!empty && connection != null && connection.isEmbedded()) {
                    getStyleClass().add(StyleClasses.CONNECTION_NAME);
                }
            }
        });
        list.getSelectionModel().select(viewModel.selectedProperty().get());
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.selectedProperty().set(now);
            }
        });
        viewModel.selectedProperty().addListener((obs, old, now) -> list.getSelectionModel().select(now));

        add.setOnAction(event -> viewModel.newConnection());
        edit.setOnAction(event -> viewModel.edit());
        edit.disableProperty().bind(viewModel.canChangeSelectedProperty().not());
        remove.disableProperty().bind(viewModel.canChangeSelectedProperty().not());
        remove.setOnAction(event -> confirmAndRemove());
        open.disableProperty().bind(viewModel.canOpenSelectedProperty().not());
        open.setOnAction(event -> viewModel.open());
        test.disableProperty().bind(viewModel.operation().busyProperty());
        test.setOnAction(event -> viewModel.test());

        form.visibleProperty().bind(viewModel.formOpenProperty());
        form.managedProperty().bind(form.visibleProperty());
        name.textProperty().bindBidirectional(viewModel.nameProperty());
        address.textProperty().bindBidirectional(viewModel.addressProperty());
        caCert.textProperty().bindBidirectional(viewModel.caCertProperty());
        clientCert.textProperty().bindBidirectional(viewModel.clientCertProperty());
        tfServingModels.textProperty().bindBidirectional(viewModel.tfServingModelsProperty());
        prometheus.textProperty().bindBidirectional(viewModel.prometheusProperty());
        clientKey.textProperty().bindBidirectional(viewModel.clientKeyFileProperty());
        token.textProperty().bindBidirectional(viewModel.tokenProperty());
        formError.textProperty().bind(viewModel.formErrorProperty());
        formError.visibleProperty().bind(formError.textProperty().isNotEmpty());
        chooseCaCert.setOnAction(event -> choosePem(viewModel.caCertProperty(), "CA certificate"));
        chooseClientCert.setOnAction(event -> choosePem(viewModel.clientCertProperty(), "client certificate"));
        chooseClientKey.setOnAction(event -> choosePem(viewModel.clientKeyFileProperty(), "client private key"));
        save.disableProperty().bind(viewModel.operation().busyProperty());
        save.setOnAction(event -> viewModel.save());
        cancel.setOnAction(event -> viewModel.cancelEdit());
    }

    private void choosePem(StringProperty field, String what) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose the " + what + " (PEM)");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("PEM", "*.pem", "*.crt", "*.key"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            field.set(file.getAbsolutePath());
        }
    }

    private void confirmAndRemove() {
        if (!viewModel.canChangeSelectedProperty().get()) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, viewModel.removeConfirmation(), ButtonType.OK,
                ButtonType.CANCEL);
        confirm.setTitle("Remove the connection");
        confirm.setHeaderText(null);
        confirm.initOwner(window());
        confirm.showAndWait().filter(ButtonType.OK::equals).ifPresent(ok -> viewModel.remove());
    }

    private Window window() {
        Scene scene = root.getScene();
        return scene == null ? null : scene.getWindow();
    }
}
