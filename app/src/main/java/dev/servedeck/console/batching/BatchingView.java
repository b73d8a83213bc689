package dev.servedeck.console.batching;

import dev.servedeck.console.shell.PageShortcuts;
import dev.servedeck.ui.Messages;
import java.io.File;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

/**
 * The Batching page: binds the form to {@link BatchingViewModel} and asks the operator for files; the
 * ViewModel checks and sends. Ctrl+Enter applies and Esc reverts while the page is shown.
 */
public final class BatchingView {

    private static final KeyCombination APPLY = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REVERT = new KeyCodeCombination(KeyCode.ESCAPE);

    private final BatchingViewModel viewModel;
    /** Builds the "Find parameters" window's content (once: the window is kept and shown again). */
    private final Supplier<Parent> findParametersContent;
    private Stage findParametersWindow;
    private File lastFolder;

    @FXML private ScrollPane root;
    @FXML private Label readOnlyNote;
    @FXML private TextField maxBatchSize;
    @FXML private Label maxBatchSizeError;
    @FXML private TextField batchTimeoutMicros;
    @FXML private Label batchTimeoutMicrosError;
    @FXML private TextField maxEnqueuedBatches;
    @FXML private Label maxEnqueuedBatchesError;
    @FXML private TextField numBatchThreads;
    @FXML private Label numBatchThreadsError;
    @FXML private TextField allowedBatchSizes;
    @FXML private Label allowedBatchSizesError;
    @FXML private TextField maxExecutionBatchSize;
    @FXML private Label maxExecutionBatchSizeError;
    @FXML private CheckBox padVariableLengthInputs;
    @FXML private CheckBox enableLargeBatchSplitting;
    @FXML private CheckBox adaptiveBatchTimeout;
    @FXML private Label threadPoolName;
    @FXML private Label meanBatchSize;
    @FXML private Label batchesPerSecond;
    @FXML private Label queuedTasks;
    @FXML private Label formError;
    @FXML private Label notice;
    @FXML private Button apply;
    @FXML private Button revert;
    @FXML private Button load;
    @FXML private Button save;
    @FXML private ProgressIndicator busy;
    @FXML private Label dirty;
    @FXML private Button findParameters;

    public BatchingView(BatchingViewModel viewModel, Supplier<Parent> findParametersContent) {
        this.viewModel = viewModel;
        this.findParametersContent = findParametersContent;
    }

    @FXML
    private void initialize() {
        Map<BatchingField, TextField> inputs = new EnumMap<>(BatchingField.class);
        inputs.put(BatchingField.MAX_BATCH_SIZE, maxBatchSize);
        inputs.put(BatchingField.BATCH_TIMEOUT_MICROS, batchTimeoutMicros);
        inputs.put(BatchingField.MAX_ENQUEUED_BATCHES, maxEnqueuedBatches);
        inputs.put(BatchingField.NUM_BATCH_THREADS, numBatchThreads);
        inputs.put(BatchingField.ALLOWED_BATCH_SIZES, allowedBatchSizes);
        inputs.put(BatchingField.MAX_EXECUTION_BATCH_SIZE, maxExecutionBatchSize);
        Map<BatchingField, Label> errors = new EnumMap<>(BatchingField.class);
        errors.put(BatchingField.MAX_BATCH_SIZE, maxBatchSizeError);
        errors.put(BatchingField.BATCH_TIMEOUT_MICROS, batchTimeoutMicrosError);
        errors.put(BatchingField.MAX_ENQUEUED_BATCHES, maxEnqueuedBatchesError);
        errors.put(BatchingField.NUM_BATCH_THREADS, numBatchThreadsError);
        errors.put(BatchingField.ALLOWED_BATCH_SIZES, allowedBatchSizesError);
        errors.put(BatchingField.MAX_EXECUTION_BATCH_SIZE, maxExecutionBatchSizeError);

        var readOnly = viewModel.editableProperty().not();
        inputs.forEach((field, input) -> {
            input.textProperty().bindBidirectional(viewModel.textProperty(field));
            input.disableProperty().bind(readOnly);
        });
        maxExecutionBatchSize.disableProperty().unbind();
        maxExecutionBatchSize.disableProperty().bind(readOnly.or(viewModel.enableLargeBatchSplittingProperty().not()));
        errors.forEach((field, label) -> {
            label.textProperty().bind(viewModel.errorProperty(field));
            hideWhenEmpty(label);
        });
        padVariableLengthInputs.selectedProperty().bindBidirectional(viewModel.padVariableLengthInputsProperty());
        padVariableLengthInputs.disableProperty().bind(readOnly);
        enableLargeBatchSplitting.selectedProperty().bindBidirectional(viewModel.enableLargeBatchSplittingProperty());
        enableLargeBatchSplitting.disableProperty().bind(readOnly);
        adaptiveBatchTimeout.selectedProperty().bindBidirectional(viewModel.adaptiveBatchTimeoutProperty());
        adaptiveBatchTimeout.disableProperty().bind(readOnly);
        threadPoolName.textProperty().bind(viewModel.threadPoolNameProperty());

        String ownWords = readOnlyNote.getText();
        readOnlyNote.textProperty().bind(Bindings.createStringBinding(() -> viewModel.readOnlyReasonProperty().get()
                .isEmpty() ? ownWords : viewModel.readOnlyReasonProperty().get(), viewModel.readOnlyReasonProperty()));
        readOnlyNote.visibleProperty().bind(readOnly);
        readOnlyNote.managedProperty().bind(readOnly);
        meanBatchSize.textProperty().bind(viewModel.meanBatchSizeProperty());
        batchesPerSecond.textProperty().bind(viewModel.batchesPerSecondProperty());
        queuedTasks.textProperty().bind(viewModel.queuedTasksProperty());
        formError.textProperty().bind(viewModel.formErrorProperty());
        hideWhenEmpty(formError);
        notice.textProperty().bind(viewModel.noticeProperty());
        hideWhenEmpty(notice);
        dirty.visibleProperty().bind(viewModel.dirtyProperty().and(viewModel.editableProperty()));
        busy.visibleProperty().bind(viewModel.busyProperty());

        apply.disableProperty().bind(viewModel.canApplyProperty().not());
        revert.disableProperty().bind(viewModel.canRevertProperty().not());
        load.disableProperty().bind(viewModel.canLoadProperty().not());
        save.disableProperty().bind(viewModel.busyProperty().or(viewModel.validProperty().not()));
        apply.setOnAction(event -> viewModel.apply());
        revert.setOnAction(event -> viewModel.revert());
        load.setOnAction(event -> chooseFileToLoad());
        save.setOnAction(event -> chooseFileToSave());
        findParameters.disableProperty().bind(readOnly);
        findParameters.setOnAction(event -> showFindParameters());

        new PageShortcuts()
                .on(APPLY, viewModel::apply)
                .on(REVERT, () -> viewModel.canRevertProperty().get(), viewModel::revert)
                .attachTo(root);
    }

    /**
     * A window of its own beside the page: a search takes minutes, and the operator may watch the Monitor meanwhile.
     * Closing it hides it; the search goes on until it ends or is stopped.
     */
    private void showFindParameters() {
        if (findParametersWindow == null) {
            Scene scene = new Scene(findParametersContent.get(), 1000, 720);
            scene.getStylesheets().addAll(root.getScene().getStylesheets());
            findParametersWindow = new Stage();
            findParametersWindow.setTitle(Messages.bundle().getString("batching.find.title"));
            findParametersWindow.initOwner(window());
            findParametersWindow.setScene(scene);
        }
        findParametersWindow.show();
        findParametersWindow.toFront();
    }

    private static void hideWhenEmpty(Label label) {
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
    }

    private void chooseFileToLoad() {
        File file = fileChooser("batching.fileChooser.open").showOpenDialog(window());
        if (file != null) {
            lastFolder = file.getParentFile();
            viewModel.load(file.toPath());
        }
    }

    private void chooseFileToSave() {
        FileChooser chooser = fileChooser("batching.fileChooser.save");
        chooser.setInitialFileName("batching_parameters.txt");
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            lastFolder = file.getParentFile();
            Path path = file.toPath();
            viewModel.save(path);
        }
    }

    private FileChooser fileChooser(String titleKey) {
        ResourceBundle texts = Messages.bundle();
        FileChooser chooser = new FileChooser();
        chooser.setTitle(texts.getString(titleKey));
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(texts.getString("batching.fileChooser.filter"),
                        "*.txt", "*.pbtxt", "*.config", "*.conf"),
                new FileChooser.ExtensionFilter(texts.getString("batching.fileChooser.all"), "*"));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return chooser;
    }

    private javafx.stage.Window window() {
        Scene scene = root.getScene();
        return scene == null ? null : scene.getWindow();
    }
}
