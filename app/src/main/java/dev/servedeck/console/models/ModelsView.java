package dev.servedeck.console.models;

import dev.servedeck.console.shell.PageShortcuts;
import dev.servedeck.console.shell.StateStyles;
import dev.servedeck.ui.Messages;
import dev.servedeck.ui.StyleClasses;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.ResourceBundle;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Callback;
import javafx.util.StringConverter;

/**
 * The Models page: a tree of models and their versions with live states, and the forms that act on the
 * selected one. Binds to {@link ModelsViewModel} and delegates; file and folder choosers and the remove
 * confirmation live here because they are windows.
 */
public final class ModelsView {

    private static final List<String> STATE_CLASSES = List.of(StyleClasses.STATE_OK, StyleClasses.STATE_BUSY,
            StyleClasses.STATE_ERROR, StyleClasses.STATE_IDLE);

    private final ModelsViewModel viewModel;
    private final ResourceBundle texts = Messages.bundle();
    /** Tree items by row key, reused across refreshes so selection and expansion survive them. */
    private Map<String, TreeItem<ModelRow>> items = new HashMap<>();
    private final TreeItem<ModelRow> treeRoot = new TreeItem<>();
    /** True while the tree is being brought up to date: its selection events are not the operator's. */
    private boolean syncing;

    @FXML private VBox root;
    @FXML private ProgressIndicator busy;
    @FXML private Label busyText;
    @FXML private Label basePathNote;
    @FXML private Label modelChangesNote;
    @FXML private Button openConfig;
    @FXML private Button saveConfig;
    @FXML private Label failure;
    @FXML private Label notice;
    @FXML private TreeTableView<ModelRow> tree;
    @FXML private TreeTableColumn<ModelRow, String> nameColumn;
    @FXML private TreeTableColumn<ModelRow, ModelRow> stateColumn;
    @FXML private TreeTableColumn<ModelRow, String> labelsColumn;
    @FXML private TreeTableColumn<ModelRow, String> policyColumn;
    @FXML private TreeTableColumn<ModelRow, String> basePathColumn;
    @FXML private TreeTableColumn<ModelRow, ModelRow> detailsColumn;
    @FXML private TitledPane configPane;
    @FXML private TextArea configText;
    @FXML private TextArea signaturesText;
    @FXML private ScrollPane side;
    @FXML private Label selection;
    @FXML private ComboBox<String> version;
    @FXML private Button loadVersion;
    @FXML private Button unloadVersion;
    @FXML private Label versionError;
    @FXML private Button saveWarmupToVersion;
    @FXML private Button saveWarmupToFile;
    @FXML private Label warmupError;
    @FXML private Label warmupNote;
    @FXML private ChoiceBox<PolicyKind> policyKind;
    @FXML private TextField policyValue;
    @FXML private Button applyPolicy;
    @FXML private Label policyError;
    @FXML private ComboBox<String> labelName;
    @FXML private ComboBox<String> labelVersion;
    @FXML private Button setLabel;
    @FXML private Button removeLabel;
    @FXML private Label labelError;
    @FXML private TitledPane addPane;
    @FXML private TextField addBasePath;
    @FXML private Button browse;
    @FXML private TextField addName;
    @FXML private ChoiceBox<PolicyKind> addPolicyKind;
    @FXML private TextField addPolicyValue;
    @FXML private Button addModel;
    @FXML private Label addError;
    @FXML private Button removeModel;

    public ModelsView(ModelsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        bindTree();
        bindMessages();
        bindVersionForm();
        bindWarmupForm();
        bindPolicyForm();
        bindLabelForm();
        bindAddForm();
        configText.textProperty().bind(viewModel.configTextProperty());
        signaturesText.textProperty().bind(viewModel.signaturesTextProperty());
        openConfig.disableProperty().bind(viewModel.canActProperty().not());
        saveConfig.disableProperty().bind(viewModel.canChangeModelsProperty().not());
        openConfig.setOnAction(event -> chooseConfigToOpen());
        modelChangesNote.textProperty().bind(viewModel.modelChangesNoteProperty());
        modelChangesNote.visibleProperty().bind(modelChangesNote.textProperty().isNotEmpty());
        modelChangesNote.managedProperty().bind(modelChangesNote.visibleProperty());
        saveConfig.setOnAction(event -> chooseConfigToSave());
        removeModel.disableProperty().bind(viewModel.canChangeModelProperty().not());
        removeModel.setOnAction(event -> confirmAndRemoveModel());

        new PageShortcuts()
                .on(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), this::chooseBasePath)
                .on(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseConfigToOpen)
                .on(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::chooseConfigToSave)
                .attachTo(root);
        viewModel.refresh();
    }

    // ---- the tree ----

    private void bindTree() {
        tree.setRoot(treeRoot);
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        nameColumn.setCellValueFactory(cell(ModelRow::name));
        stateColumn.setCellValueFactory(features -> new ReadOnlyObjectWrapper<>(features.getValue().getValue()));
        labelsColumn.setCellValueFactory(cell(ModelRow::labels));
        policyColumn.setCellValueFactory(cell(ModelRow::policy));
        basePathColumn.setCellValueFactory(cell(ModelRow::basePath));
        detailsColumn.setCellValueFactory(features -> new ReadOnlyObjectWrapper<>(features.getValue().getValue()));
        stateColumn.setCellFactory(column -> new StateCell());
        labelsColumn.setCellFactory(column -> new TextWithTooltipCell());
        policyColumn.setCellFactory(column -> new TextWithTooltipCell());
        basePathColumn.setCellFactory(column -> new TextWithTooltipCell());
        detailsColumn.setCellFactory(column -> new DetailsCell());
        tree.setRowFactory(view -> new TreeTableRow<>() {
            @Override
            protected void updateItem(ModelRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().remove(StyleClasses.MODELS_MODEL_ROW);
                if (!empty && row != null && row.isModel()) {
                    getStyleClass().add(StyleClasses.MODELS_MODEL_ROW);
                }
            }
        });
        Label placeholder = new Label();
        placeholder.textProperty().bind(Bindings.when(viewModel.runningProperty())
                .then(texts.getString("models.placeholder")).otherwise(texts.getString("models.placeholder.stopped")));
        placeholder.getStyleClass().add("text-muted");
        tree.setPlaceholder(placeholder);

        viewModel.models().addListener((ListChangeListener<ModelRow>) change -> syncTree());
        tree.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (!syncing) {
                tellSelection(now);
            }
        });
        tree.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.DELETE || event.getCode() == KeyCode.BACK_SPACE) {
                deleteSelected();
                event.consume();
            }
        });
        syncTree();
    }

    private static Callback<TreeTableColumn.CellDataFeatures<ModelRow, String>, ObservableValue<String>> cell(
            Function<ModelRow, String> text) {
        return features -> {
            ModelRow row = features.getValue().getValue();
            return new ReadOnlyStringWrapper(row == null ? "" : text.apply(row));
        };
    }

    /** Brings the tree up to the ViewModel's rows, reusing items so selection and expansion stay. */
    private void syncTree() {
        TreeItem<ModelRow> selected = tree.getSelectionModel().getSelectedItem();
        String selectedKey = selected == null || selected.getValue() == null ? null : selected.getValue().key();
        syncing = true;
        try {
            Map<String, TreeItem<ModelRow>> next = new HashMap<>();
            List<TreeItem<ModelRow>> modelItems = new ArrayList<>();
            for (ModelRow model : viewModel.models()) {
                TreeItem<ModelRow> modelItem = item(model, next);
                List<TreeItem<ModelRow>> versionItems = model.versions().stream().map(v -> item(v, next)).toList();
                if (!modelItem.getChildren().equals(versionItems)) {
                    modelItem.getChildren().setAll(versionItems);
                }
                modelItems.add(modelItem);
            }
            if (!treeRoot.getChildren().equals(modelItems)) {
                treeRoot.getChildren().setAll(modelItems);
            }
            items = next;
            TreeItem<ModelRow> again = selectedKey == null ? null : next.get(selectedKey);
            if (again != null && tree.getSelectionModel().getSelectedItem() != again) {
                tree.getSelectionModel().select(again);
            }
        } finally {
            syncing = false;
        }
        if (selectedKey != null && !items.containsKey(selectedKey)) {
            tellSelection(null);
        }
    }

    private TreeItem<ModelRow> item(ModelRow row, Map<String, TreeItem<ModelRow>> next) {
        TreeItem<ModelRow> item = items.get(row.key());
        if (item == null) {
            item = new TreeItem<>(row);
            item.setExpanded(true);
        } else if (!row.equals(item.getValue())) {
            item.setValue(row);
        }
        next.put(row.key(), item);
        return item;
    }

    private void tellSelection(TreeItem<ModelRow> item) {
        ModelRow row = item == null ? null : item.getValue();
        if (row == null) {
            viewModel.select(null, OptionalLong.empty());
        } else {
            viewModel.select(row.model(), row.version());
        }
    }

    private void deleteSelected() {
        switch (viewModel.deleteAction()) {
            case UNLOAD_VERSION -> viewModel.unloadSelectedVersion();
            case REMOVE_MODEL -> confirmAndRemoveModel();
            case NONE -> { }
        }
    }

    /** Colours the state by its meaning (StateStyles): serving green, changing amber, failed red. */
    private static final class StateCell extends TreeTableCell<ModelRow, ModelRow> {
        @Override
        protected void updateItem(ModelRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setText(null);
                getStyleClass().removeAll(STATE_CLASSES);
                return;
            }
            setText(row.state());
            StateStyles.apply(this, row.tone(), row.failed());
            setTooltip(row.since().isEmpty() ? null : new Tooltip(row.state() + " since " + row.since()
                    + (row.details().isEmpty() ? "" : "\n" + row.details())));
        }
    }

    /** Long texts (paths, label lists) in full on hover. */
    private static final class TextWithTooltipCell extends TreeTableCell<ModelRow, String> {
        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            boolean blank = empty || text == null || text.isEmpty();
            setText(blank ? null : text);
            setTooltip(blank ? null : new Tooltip(text));
        }
    }

    /** The error (red), or what a version waits for, in the server's words; in full on hover. */
    private static final class DetailsCell extends TreeTableCell<ModelRow, ModelRow> {
        @Override
        protected void updateItem(ModelRow row, boolean empty) {
            super.updateItem(row, empty);
            boolean blank = empty || row == null || row.details().isEmpty();
            setText(blank ? null : row.details());
            setTooltip(blank ? null : new Tooltip(row.details()));
            getStyleClass().remove(StyleClasses.STATE_ERROR);
            if (!blank && row.failed()) {
                getStyleClass().add(StyleClasses.STATE_ERROR);
            }
        }
    }

    // ---- messages ----

    private void bindMessages() {
        busy.visibleProperty().bind(viewModel.busyProperty());
        busyText.textProperty().bind(viewModel.busyTextProperty());
        showWhenSet(failure, viewModel.failureProperty());
        showWhenSet(notice, viewModel.noticeProperty());
        selection.textProperty().bind(viewModel.selectionTextProperty());
    }

    private static void showWhenSet(Label label, ObservableValue<String> text) {
        label.textProperty().bind(text);
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
    }

    // ---- forms ----

    private void bindVersionForm() {
        version.setItems(viewModel.versionChoices());
        version.getEditor().textProperty().bindBidirectional(viewModel.versionProperty());
        showWhenSet(versionError, viewModel.versionErrorProperty());
        loadVersion.disableProperty().bind(viewModel.canChangeModelProperty().not());
        unloadVersion.disableProperty().bind(viewModel.canChangeModelProperty().not());
        loadVersion.setOnAction(event -> viewModel.loadVersion());
        unloadVersion.setOnAction(event -> viewModel.unloadVersion());
    }

    private void bindWarmupForm() {
        showWhenSet(warmupError, viewModel.warmupErrorProperty());
        boolean warmupOff = !viewModel.warmupNote().isEmpty();
        saveWarmupToVersion.disableProperty().bind(viewModel.canActOnModelProperty().not().or(
                javafx.beans.binding.Bindings.createBooleanBinding(() -> warmupOff)));
        saveWarmupToFile.disableProperty().bind(saveWarmupToVersion.disableProperty());
        warmupNote.setText(viewModel.warmupNote());
        warmupNote.setVisible(warmupOff);
        warmupNote.setManaged(warmupOff);
        saveWarmupToVersion.setOnAction(event -> viewModel.saveWarmupToVersion(this::confirmReplacingWarmupFile));
        saveWarmupToFile.setOnAction(event -> chooseWarmupFile());
    }

    private void bindPolicyForm() {
        choosePolicy(policyKind);
        policyKind.valueProperty().bindBidirectional(viewModel.policyKindProperty());
        policyValue.textProperty().bindBidirectional(viewModel.policyValueProperty());
        policyValue.disableProperty().bind(viewModel.policyTakesValueProperty().not());
        showWhenSet(policyError, viewModel.policyErrorProperty());
        applyPolicy.disableProperty().bind(viewModel.canChangeModelProperty().not());
        applyPolicy.setOnAction(event -> viewModel.applyPolicy());
        policyValue.setOnAction(event -> applyPolicy.fire());
    }

    private void bindLabelForm() {
        labelName.setItems(viewModel.labelChoices());
        labelName.getEditor().textProperty().bindBidirectional(viewModel.labelNameProperty());
        labelVersion.setItems(viewModel.versionChoices());
        labelVersion.getEditor().textProperty().bindBidirectional(viewModel.labelVersionProperty());
        showWhenSet(labelError, viewModel.labelErrorProperty());
        setLabel.disableProperty().bind(viewModel.canChangeModelProperty().not());
        removeLabel.disableProperty().bind(viewModel.canChangeModelProperty().not());
        setLabel.setOnAction(event -> viewModel.setLabel());
        removeLabel.setOnAction(event -> viewModel.removeLabel());
    }

    private void bindAddForm() {
        choosePolicy(addPolicyKind);
        addPolicyKind.valueProperty().bindBidirectional(viewModel.addPolicyKindProperty());
        addPolicyValue.textProperty().bindBidirectional(viewModel.addPolicyValueProperty());
        addPolicyValue.disableProperty().bind(viewModel.addPolicyTakesValueProperty().not());
        addName.textProperty().bindBidirectional(viewModel.addNameProperty());
        addBasePath.textProperty().bindBidirectional(viewModel.addBasePathProperty());
        showWhenSet(addError, viewModel.addErrorProperty());
        addModel.disableProperty().bind(viewModel.canChangeModelsProperty().not());
        addModel.setOnAction(event -> viewModel.addModel());
        addName.setOnAction(event -> addModel.fire());
        addBasePath.setOnAction(event -> addModel.fire());
        browse.setOnAction(event -> chooseBasePath());
        browse.disableProperty().bind(viewModel.canBrowseBasePathProperty().not());
        basePathNote.textProperty().bind(viewModel.basePathNoteProperty());
        basePathNote.visibleProperty().bind(basePathNote.textProperty().isNotEmpty());
        basePathNote.managedProperty().bind(basePathNote.visibleProperty());
        // The add form is the last section: opening it scrolls it into view (once it has its new height).
        addPane.heightProperty().addListener((obs, old, now) -> {
            if (addPane.isExpanded() && now.doubleValue() > old.doubleValue()) {
                side.setVvalue(side.getVmax());
            }
        });
    }

    private static void choosePolicy(ChoiceBox<PolicyKind> box) {
        box.getItems().setAll(PolicyKind.values());
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(PolicyKind kind) {
                return kind == null ? "" : kind.text();
            }

            @Override
            public PolicyKind fromString(String text) {
                for (PolicyKind kind : PolicyKind.values()) {
                    if (kind.text().equals(text)) {
                        return kind;
                    }
                }
                return null;
            }
        });
    }

    // ---- windows: choosers and the confirmation ----

    private void chooseBasePath() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(texts.getString("models.browse.title"));
        existingFolder(viewModel.addBasePathProperty().get()).ifPresent(chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        addPane.setExpanded(true);
        if (folder != null) {
            viewModel.basePathChosen(folder.toPath());
            addName.requestFocus();
            addName.selectAll();
        }
    }

    private void chooseConfigToOpen() {
        if (!viewModel.canActProperty().get()) {
            return;
        }
        FileChooser chooser = configChooser("models.openConfig.title");
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            viewModel.openConfig(file.toPath());
        }
    }

    private void chooseConfigToSave() {
        if (!viewModel.canActProperty().get()) {
            return;
        }
        FileChooser chooser = configChooser("models.saveConfig.title");
        chooser.setInitialFileName("models.config");
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            viewModel.saveConfig(file.toPath());
        }
    }

    private FileChooser configChooser(String titleKey) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(texts.getString(titleKey));
        chooser.getExtensionFilters().setAll(
                new FileChooser.ExtensionFilter("Model config files (*.config, *.pbtxt, *.txt)", "*.config", "*.pbtxt", "*.txt"),
                new FileChooser.ExtensionFilter("All files", "*"));
        return chooser;
    }

    private void chooseWarmupFile() {
        if (!viewModel.canActOnModelProperty().get()) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle(texts.getString("models.warmup.file.title"));
        chooser.setInitialFileName("tf_serving_warmup_requests");
        // The platform's save dialog asks before replacing a file.
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            viewModel.saveWarmupToFile(file.toPath());
        }
    }

    private boolean confirmReplacingWarmupFile(String question) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.OK, ButtonType.CANCEL);
        confirm.setTitle(texts.getString("models.warmup.replace.title"));
        confirm.setHeaderText(null);
        confirm.initOwner(window());
        return confirm.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    private void confirmAndRemoveModel() {
        if (!viewModel.canActOnModelProperty().get()) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, viewModel.removeConfirmation(), ButtonType.OK,
                ButtonType.CANCEL);
        confirm.setTitle(texts.getString("models.remove.title"));
        confirm.setHeaderText(null);
        confirm.initOwner(window());
        confirm.showAndWait().filter(ButtonType.OK::equals).ifPresent(ok -> viewModel.removeModel());
    }

    private Window window() {
        Scene scene = root.getScene();
        return scene == null ? null : scene.getWindow();
    }

    private static java.util.Optional<File> existingFolder(String path) {
        try {
            return path == null || path.isBlank() || !Files.isDirectory(Path.of(path.trim()))
                    ? java.util.Optional.empty() : java.util.Optional.of(Path.of(path.trim()).toFile());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
