package dev.servedeck.console.logs;

import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.shell.PageShortcuts;
import dev.servedeck.ui.StyleClasses;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;

/**
 * The Logs page: binds the two tables, the filters and the tail controls to {@link LogsViewModel}. Ctrl+C
 * copies the selected rows; Ctrl+F goes to the filter while the page is shown.
 */
public final class LogsView {

    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);

    private final LogsViewModel viewModel;

    @FXML private VBox root;
    @FXML private TextField filter;
    @FXML private ToggleButton pause;
    @FXML private Button clear;
    @FXML private Button copy;
    @FXML private CheckBox autoScroll;
    @FXML private Label held;
    @FXML private TabPane tabs;
    @FXML private Tab eventsTab;
    @FXML private Tab requestsTab;
    @FXML private ChoiceBox<SeverityFilter> severityFilter;
    @FXML private Label eventCount;
    @FXML private TableView<EventRow> eventTable;
    @FXML private TableColumn<EventRow, String> eventTime;
    @FXML private TableColumn<EventRow, String> eventSeverity;
    @FXML private TableColumn<EventRow, String> eventSource;
    @FXML private TableColumn<EventRow, String> eventMessage;
    @FXML private ChoiceBox<StatusFilter> statusFilter;
    @FXML private Label requestCount;
    @FXML private Label requestLogFile;
    @FXML private TableView<RequestRow> requestTable;
    @FXML private TableColumn<RequestRow, String> requestTime;
    @FXML private TableColumn<RequestRow, String> requestModel;
    @FXML private TableColumn<RequestRow, String> requestVersion;
    @FXML private TableColumn<RequestRow, String> requestSignature;
    @FXML private TableColumn<RequestRow, String> requestApi;
    @FXML private TableColumn<RequestRow, String> requestEntrypoint;
    @FXML private TableColumn<RequestRow, String> requestStatus;
    @FXML private TableColumn<RequestRow, Long> requestLatency;
    @FXML private TableColumn<RequestRow, Long> requestBytes;
    @FXML private TableColumn<RequestRow, Long> responseBytes;

    public LogsView(LogsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        filter.textProperty().bindBidirectional(viewModel.filterProperty());
        pause.selectedProperty().bindBidirectional(viewModel.pausedProperty());
        pause.textProperty().bind(Bindings.when(viewModel.pausedProperty()).then("Resume").otherwise("Pause"));
        autoScroll.selectedProperty().bindBidirectional(viewModel.autoScrollProperty());
        held.textProperty().bind(Bindings.createStringBinding(() -> viewModel.heldProperty().get() == 0 ? ""
                : "Paused: " + viewModel.heldProperty().get() + " new rows held", viewModel.heldProperty()));
        clear.setOnAction(event -> viewModel.clear());
        copy.setOnAction(event -> copySelection(tabs.getSelectionModel().getSelectedItem() == requestsTab
                ? requestTable : eventTable));

        severityFilter.getItems().setAll(SeverityFilter.values());
        severityFilter.valueProperty().bindBidirectional(viewModel.severityFilterProperty());
        eventCount.textProperty().bind(viewModel.eventCountProperty());
        column(eventTime, EventRow::time);
        column(eventSeverity, row -> row.severity().name());
        column(eventSource, EventRow::source);
        column(eventMessage, EventRow::message);
        eventMessage.setCellFactory(column -> new MessageCell());
        eventTable.setRowFactory(table -> new StyledRow<>(row -> row.severity() == ServerEvent.Severity.ERROR
                ? StyleClasses.LOG_ERROR : row.severity() == ServerEvent.Severity.WARNING ? StyleClasses.LOG_WARNING : null));
        setUp(eventTable, viewModel.visibleEvents());

        statusFilter.getItems().setAll(StatusFilter.values());
        statusFilter.valueProperty().bindBidirectional(viewModel.statusFilterProperty());
        requestCount.textProperty().bind(viewModel.requestCountProperty());
        requestLogFile.textProperty().bind(viewModel.requestLogFileProperty());
        column(requestTime, RequestRow::time);
        column(requestModel, RequestRow::model);
        column(requestVersion, RequestRow::version);
        column(requestSignature, RequestRow::signature);
        column(requestApi, RequestRow::api);
        column(requestEntrypoint, RequestRow::entrypoint);
        column(requestStatus, RequestRow::status);
        column(requestLatency, RequestRow::latencyMicros);
        column(requestBytes, RequestRow::requestBytes);
        column(responseBytes, RequestRow::responseBytes);
        requestTable.setRowFactory(table -> new StyledRow<>(row -> row.ok() ? null : StyleClasses.LOG_ERROR));
        setUp(requestTable, viewModel.visibleRequests());

        new PageShortcuts().on(FIND, () -> {
            filter.requestFocus();
            filter.selectAll();
        }).attachTo(root);
    }

    private <R extends LogRow> void setUp(TableView<R> table, ObservableList<R> rows) {
        table.setItems(rows);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // A live tail reads in arrival order; sorting would fight the follow-newest scrolling.
        table.getColumns().forEach(column -> column.setSortable(false));
        table.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            if (COPY.match(event)) {
                copySelection(table);
                event.consume();
            }
        });
        MenuItem copyItem = new MenuItem("Copy rows");
        copyItem.setAccelerator(COPY);
        copyItem.setOnAction(event -> copySelection(table));
        table.setContextMenu(new ContextMenu(copyItem));
        table.getItems().addListener((ListChangeListener<R>) change -> {
            if (viewModel.autoScrollProperty().get() && !table.getItems().isEmpty() && table.getScene() != null) {
                table.scrollTo(table.getItems().size() - 1);
            }
        });
    }

    private static <R, T> void column(TableColumn<R, T> column, Function<R, T> value) {
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    }

    private void copySelection(TableView<? extends LogRow> table) {
        List<? extends LogRow> selected = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (selected.isEmpty()) {
            return;
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(LogsViewModel.asText(selected));
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** A message that may be longer than its column: the whole text shows as a tooltip. */
    private static final class MessageCell extends TableCell<EventRow, String> {

        @Override
        protected void updateItem(String message, boolean empty) {
            super.updateItem(message, empty);
            setText(empty ? null : message);
            setTooltip(empty || message == null ? null : new Tooltip(message));
        }
    }

    /** Colours a row by what it reports (errors red, warnings amber). */
    private static final class StyledRow<R> extends TableRow<R> {

        private final Function<R, String> styleOf;
        private String applied;

        StyledRow(Function<R, String> styleOf) {
            this.styleOf = styleOf;
        }

        @Override
        protected void updateItem(R item, boolean empty) {
            super.updateItem(item, empty);
            if (applied != null) {
                getStyleClass().remove(applied);
                applied = null;
            }
            String style = empty || item == null ? null : styleOf.apply(item);
            if (style != null) {
                getStyleClass().add(style);
                applied = style;
            }
        }
    }
}
