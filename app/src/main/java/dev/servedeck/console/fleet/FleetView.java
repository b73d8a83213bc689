package dev.servedeck.console.fleet;

import dev.servedeck.console.kit.OperationStateControls;
import dev.servedeck.console.shell.StateStyles;
import dev.servedeck.ui.StyleClasses;
import java.util.List;
import java.util.function.Function;
import javafx.beans.value.ChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;

/**
 * The Fleet page: binds the table to {@link FleetViewModel}, colours rows by their worst problem, draws the trends
 * and opens a server on a click or Enter. Tells the ViewModel when it is on screen, so servers are watched only then.
 */
public final class FleetView {

    private static final double SPARK_WIDTH = 84;
    private static final double SPARK_HEIGHT = 22;
    private static final List<String> ROW_CLASSES = List.of(StyleClasses.FLEET_ROW_ERROR,
            StyleClasses.FLEET_ROW_WARNING, StyleClasses.FLEET_ROW_MANAGED);

    private final FleetViewModel viewModel;

    @FXML private VBox root;
    @FXML private Label summary;
    @FXML private ProgressIndicator busy;
    @FXML private Label busyText;
    @FXML private Label notice;
    @FXML private Label failure;
    @FXML private TableView<FleetRow> table;

    public FleetView(FleetViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        summary.textProperty().bind(viewModel.summaryProperty());
        OperationStateControls.bind(viewModel.operation(), busy, busyText, notice, failure);

        table.setItems(viewModel.rows());
        table.getStyleClass().add(StyleClasses.FLEET_TABLE);
        // Problems takes what is left: ten servers' rows fit the window without a horizontal scroll bar.
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(
                text("Server", "server", 140, r -> r.connection().name() + (r.managed() ? "  ●" : "")),
                text("State", "state", 82, r -> r.state().map(StateStyles::serverStateText).orElse("–")),
                text("Models", "models", 62, r -> r.state().isPresent() ? Integer.toString(r.models()) : "–"),
                text("Available", "available", 80, r -> r.state().isPresent()
                        ? Integer.toString(r.availableVersions()) : "–"),
                text("req/s", "rps", 55, r -> number(r.requestsPerSecond(), "%.1f")),
                text("p99 ms", "p99", 64, r -> number(r.p99Millis(), "%.1f")),
                text("errors/s", "errors", 66, r -> number(r.errorsPerSecond(), "%.1f")),
                text("CPU", "cpu", 48, r -> Double.isNaN(r.cpuCores()) ? "–"
                        : String.format("%.0f%%", 100 * r.cpuCores())),
                text("Memory", "memory", 75, r -> r.memoryBytes() <= 0 ? "–"
                        : (r.memoryBytes() >> 20) + " MiB" + (r.memoryIsResident() ? "" : " heap")),
                trend("req/s trend", "rpsTrend", FleetReading::requestTrend),
                trend("p99 trend", "p99Trend", FleetReading::p99Trend),
                text("Problems", "problems", 250, r -> r.problems().isEmpty() ? r.detail()
                        : r.problemsText() + ": " + r.detail())));
        table.setRowFactory(view -> new FleetTableRow());
        table.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                viewModel.open(table.getSelectionModel().getSelectedItem());
                event.consume();
            }
        });

        // Watch the servers only while the page is on screen: the window shows one page at a time.
        root.sceneProperty().addListener((obs, old, now) -> viewModel.setShown(now != null));
        viewModel.setShown(root.getScene() != null);
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "–" : String.format(format, value);
    }

    private TableColumn<FleetRow, FleetReading> text(String title, String id, double width,
            Function<FleetReading, String> shown) {
        TableColumn<FleetRow, FleetReading> column = column(title, id, width);
        column.setCellFactory(ignored -> new TableCell<>() {
            @Override
            protected void updateItem(FleetReading reading, boolean empty) {
                super.updateItem(reading, empty);
                setText(empty || reading == null ? null : shown.apply(reading));
            }
        });
        return column;
    }

    private TableColumn<FleetRow, FleetReading> trend(String title, String id,
            Function<FleetReading, double[]> values) {
        TableColumn<FleetRow, FleetReading> column = column(title, id, SPARK_WIDTH + 6);
        column.setCellFactory(ignored -> new TableCell<>() {
            private final Sparkline line = new Sparkline(SPARK_WIDTH, SPARK_HEIGHT);

            @Override
            protected void updateItem(FleetReading reading, boolean empty) {
                super.updateItem(reading, empty);
                if (empty || reading == null) {
                    setGraphic(null);
                    return;
                }
                // The cell's own text colour: it follows the theme and the row's problem colour.
                line.draw(values.apply(reading), getTextFill());
                setGraphic(line);
            }
        });
        return column;
    }

    private static TableColumn<FleetRow, FleetReading> column(String title, String id, double width) {
        TableColumn<FleetRow, FleetReading> column = new TableColumn<>(title);
        column.setId(id);
        column.setPrefWidth(width);
        column.setMinWidth(width); // the last column (Problems) gives way, not the numbers
        column.setSortable(false);
        column.setCellValueFactory(cell -> cell.getValue().readingProperty());
        return column;
    }

    /** A row coloured by its server's worst problem; a click opens that server. */
    private final class FleetTableRow extends TableRow<FleetRow> {

        private final Tooltip tooltip = new Tooltip();
        /** The reading changes every tick while the row object stays: the style follows the reading. */
        private final ChangeListener<FleetReading> restyle = (obs, old, now) -> style(now);
        private FleetRow followed;

        FleetTableRow() {
            setOnMouseClicked(event -> {
                if (event.getButton() == MouseButton.PRIMARY && !isEmpty() && getItem() != null) {
                    viewModel.open(getItem());
                }
            });
        }

        @Override
        protected void updateItem(FleetRow row, boolean empty) {
            super.updateItem(row, empty);
            FleetRow now = empty ? null : row;
            if (now != followed) {
                if (followed != null) {
                    followed.readingProperty().removeListener(restyle);
                }
                followed = now;
                if (now != null) {
                    now.readingProperty().addListener(restyle);
                }
            }
            if (now == null) {
                getStyleClass().removeAll(ROW_CLASSES);
                setTooltip(null);
            } else {
                style(now.reading());
            }
        }

        private void style(FleetReading reading) {
            getStyleClass().removeAll(ROW_CLASSES);
            reading.worst().ifPresent(problem -> getStyleClass().add(
                    problem.severity() == FleetProblem.Severity.ERROR ? StyleClasses.FLEET_ROW_ERROR
                            : StyleClasses.FLEET_ROW_WARNING));
            if (reading.managed()) {
                getStyleClass().add(StyleClasses.FLEET_ROW_MANAGED);
            }
            tooltip.setText(reading.connection().addressText() + (reading.detail().isEmpty() ? ""
                    : "\n" + reading.detail()));
            setTooltip(tooltip);
        }
    }
}
