package dev.servedeck.console.predict;

import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.shell.PageShortcuts;
import dev.servedeck.console.chooser.SignatureChooserControls;
import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.ui.StyleClasses;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/** The Predict page: binds to {@link PredictViewModel}; owns only the clipboard and the table's columns. */
public final class PredictView {

    private static final KeyCombination SEND = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination COPY_CURL = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination REFORMAT = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);

    private final PredictViewModel viewModel;
    /** Page shortcuts, on the scene only while the page is shown (pages leave the scene when hidden). */

    @FXML private VBox root;
    @FXML private ComboBox<String> model;
    @FXML private ComboBox<VersionOption> version;
    @FXML private ComboBox<SignatureInfo> signature;
    @FXML private ComboBox<PredictProtocol> protocol;
    @FXML private ComboBox<RestVerb> verb;
    @FXML private Label verbNote;
    @FXML private ProgressIndicator loadingSignatures;
    @FXML private Label loadingText;
    @FXML private Label signatureHint;
    @FXML private Label metadataError;
    @FXML private Label requestLine;
    @FXML private TextArea request;
    @FXML private Label requestProblem;
    @FXML private Button send;
    @FXML private ProgressIndicator busy;
    @FXML private Button reformat;
    @FXML private Button template;
    @FXML private Button copyCurl;
    @FXML private Label notice;
    @FXML private ListView<HistoryEntry> history;
    @FXML private Label status;
    @FXML private Label latency;
    @FXML private Label error;
    @FXML private TextArea response;
    @FXML private TableView<List<String>> table;

    public PredictView(PredictViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        bindChoosers();
        bindEditor();
        bindResponse();
        bindHistory();
        new PageShortcuts()
                .on(SEND, viewModel::send)
                .on(COPY_CURL, this::copyAsCurl)
                .on(REFORMAT, viewModel::reformat)
                .attachTo(root);
    }

    private void bindChoosers() {
        SignatureChooserControls.bind(viewModel.chooser(), model, version, signature);

        verb.setItems(viewModel.verbs());
        verb.setConverter(shownAs(RestVerb::verb, verb));
        verb.valueProperty().bindBidirectional(viewModel.verbProperty());
        verb.disableProperty().bind(viewModel.verbNoteProperty().isNotEmpty());
        showWhenText(verbNote, viewModel.verbNoteProperty());

        protocol.setItems(viewModel.protocols());
        protocol.setConverter(shownAs(PredictProtocol::title, protocol));
        protocol.valueProperty().bindBidirectional(viewModel.protocolProperty());

        showWhileBusy(loadingSignatures, viewModel.loadingSignaturesProperty());
        showWhileBusy(loadingText, viewModel.loadingSignaturesProperty());
        showWhenText(signatureHint, viewModel.signatureHintProperty());
        // The hint is cut at the window's edge when a signature has many inputs: its tooltip shows all of it.
        Tooltip hintTooltip = new Tooltip();
        hintTooltip.textProperty().bind(viewModel.signatureHintProperty());
        hintTooltip.setWrapText(true);
        hintTooltip.setMaxWidth(640);
        signatureHint.setTooltip(hintTooltip);
        showWhenText(metadataError, viewModel.metadataErrorProperty());
    }

    private void bindEditor() {
        request.textProperty().bindBidirectional(viewModel.requestProperty());
        requestLine.textProperty().bind(viewModel.requestLineProperty());
        showWhenText(requestProblem, viewModel.requestProblemProperty());
        send.disableProperty().bind(viewModel.busyProperty().or(viewModel.modelProperty().isNull()));
        busy.visibleProperty().bind(viewModel.busyProperty());
        send.setOnAction(event -> viewModel.send());
        reformat.setOnAction(event -> viewModel.reformat());
        template.disableProperty().bind(viewModel.signatureProperty().isNull());
        template.setOnAction(event -> viewModel.resetTemplate());
        copyCurl.setOnAction(event -> copyAsCurl());
        notice.textProperty().bind(viewModel.noticeProperty());
    }

    private void bindResponse() {
        status.textProperty().bind(viewModel.statusProperty());
        viewModel.outcomeProperty().addListener((obs, old, now) -> colourStatus(now));
        latency.textProperty().bind(viewModel.latencyProperty());
        showWhenText(error, viewModel.errorProperty());
        response.textProperty().bind(viewModel.responseProperty());
        viewModel.tableProperty().addListener((obs, old, now) -> showTable(now));
        showTable(viewModel.tableProperty().get());
    }

    private void bindHistory() {
        ZoneId zone = ZoneId.systemDefault();
        history.setItems(viewModel.history());
        history.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(HistoryEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                getStyleClass().remove(StyleClasses.PREDICT_HISTORY_FAILED);
                setText(empty || entry == null ? null : entry.summary(zone));
                if (!empty && entry != null && !entry.ok()) {
                    getStyleClass().add(StyleClasses.PREDICT_HISTORY_FAILED);
                }
            }
        });
        // Only a choice the operator makes restores: the list also moves its selection when entries arrive.
        history.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null && history.isFocused()) {
                viewModel.restore(now);
            }
        });
        history.setOnMouseClicked(event -> {
            HistoryEntry chosen = history.getSelectionModel().getSelectedItem();
            if (chosen != null && event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2) {
                viewModel.resend(chosen);
            }
        });
        history.setOnKeyPressed(event -> {
            HistoryEntry chosen = history.getSelectionModel().getSelectedItem();
            if (chosen != null && event.getCode() == KeyCode.ENTER) {
                viewModel.resend(chosen);
                event.consume();
            }
        });
    }

    private void copyAsCurl() {
        viewModel.curlCommand().ifPresent(command -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(command);
            Clipboard.getSystemClipboard().setContent(content);
        });
    }

    private void colourStatus(PredictViewModel.Outcome outcome) {
        status.getStyleClass().removeAll(StyleClasses.STATE_OK, StyleClasses.STATE_ERROR);
        if (outcome == PredictViewModel.Outcome.OK) {
            status.getStyleClass().add(StyleClasses.STATE_OK);
        } else if (outcome == PredictViewModel.Outcome.ERROR) {
            status.getStyleClass().add(StyleClasses.STATE_ERROR);
        }
    }

    private void showTable(ResponseTable answer) {
        List<TableColumn<List<String>, String>> columns = IntStream.range(0, answer.columnCount()).mapToObj(index -> {
            TableColumn<List<String>, String> column = new TableColumn<>(answer.columns().get(index));
            column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(
                    index < cell.getValue().size() ? cell.getValue().get(index) : ""));
            column.setSortable(false);
            column.setPrefWidth(preferredWidth(answer, index));
            return column;
        }).toList();
        table.getItems().clear();
        table.getColumns().setAll(columns);
        table.getItems().setAll(answer.rows());
    }

    /** Wide enough for the header and the longest value (roughly: a bold header character is ~9 px), within bounds. */
    private static double preferredWidth(ResponseTable answer, int column) {
        int chars = answer.columns().get(column).length();
        for (int row = 0; row < answer.rows().size() && row < 200; row++) {
            chars = Math.max(chars, answer.cell(row, column).length());
        }
        return Math.min(420, Math.max(48, chars * 9 + 28));
    }

    /** Shows a chooser's items in words; the chooser is not editable, so words never turn back into an item. */
    private static <T> StringConverter<T> shownAs(Function<T, String> words, ComboBox<T> chooser) {
        return new StringConverter<>() {
            @Override
            public String toString(T item) {
                return item == null ? "" : words.apply(item);
            }

            @Override
            public T fromString(String text) {
                return chooser.getValue();
            }
        };
    }

    private static void showWhenText(Label label, ObservableStringValue text) {
        label.textProperty().bind(text);
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
    }

    private static void showWhileBusy(Node node, ObservableBooleanValue busy) {
        node.visibleProperty().bind(Bindings.createBooleanBinding(busy::get, busy));
        node.managedProperty().bind(node.visibleProperty());
    }
}
