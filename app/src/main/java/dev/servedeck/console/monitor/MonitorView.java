package dev.servedeck.console.monitor;

import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.chooser.SignatureChooserControls;
import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.shell.PageShortcuts;
import dev.servedeck.core.metrics.StatisticsSample;
import dev.servedeck.ui.Messages;
import dev.servedeck.ui.StyleClasses;
import java.io.File;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The Monitor page: five live charts and the load generator, bound to {@link MonitorViewModel}. Draws the
 * ViewModel's samples into JFreeChart series ({@link LiveChart}) only while the page is shown and not
 * paused; otherwise it marks the charts stale and redraws them from the ViewModel's history when they show
 * again. Re-themes the charts when the theme's colours change.
 */
public final class MonitorView {

    /** Exported charts' size in pixels, whatever the window's size. */
    static final int EXPORT_WIDTH = 1200;
    static final int EXPORT_HEIGHT = 600;

    private final MonitorViewModel viewModel;
    private final Map<ChartKind, LiveChart> charts = new EnumMap<>(ChartKind.class);
    /** A sweep's latency-throughput curve: x req/s, y p50 and p99 in ms, a point per level labelled c1, c2 ... */
    private final PointsChart curve = new PointsChart("Latency-throughput curve", "requests per second",
            "latency (ms)", List.of(new PointsChart.Line("p50", ChartKind.SeriesRole.ACCENT, true),
                    new PointsChart.Line("p99", ChartKind.SeriesRole.DANGER, true)));
    private VBox curveCard;
    /** The curve's own window: a sweep's result beside the live charts, which keep their places. */
    private javafx.stage.Stage curveWindow;
    private boolean stale = true;

    @FXML private VBox root;
    @FXML private ComboBox<MonitorScope> scope;
    @FXML private ComboBox<ChartWindow> window;
    @FXML private ToggleButton pause;
    @FXML private Label status;
    @FXML private Label notice;
    @FXML private GridPane grid;
    @FXML private ComboBox<String> loadModel;
    @FXML private ComboBox<VersionOption> loadVersion;
    @FXML private ComboBox<SignatureInfo> loadSignature;
    @FXML private TextField requests;
    @FXML private TextField concurrency;
    @FXML private TextField rate;
    @FXML private CheckBox grpc;
    @FXML private CheckBox openInference;
    @FXML private TextArea body;
    @FXML private Button startLoad;
    @FXML private Button stopLoad;
    @FXML private Button resetBody;
    @FXML private Button startSweep;
    @FXML private TextField sweepLevels;
    @FXML private TextField sweepSeconds;
    @FXML private ProgressBar loadProgress;
    @FXML private Label loadProgressText;
    @FXML private Label loadError;
    @FXML private Label tickCost;
    @FXML private Label palette;

    public MonitorView(MonitorViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        ResourceBundle texts = Messages.bundle();
        int cell = 0;
        for (ChartKind kind : ChartKind.values()) {
            LiveChart chart = new LiveChart(kind, viewModel.windowProperty().get().millis());
            charts.put(kind, chart);
            grid.add(card(kind, chart, texts), cell % 2, cell / 2);
            cell++;
        }

        scope.setItems(viewModel.scopes());
        scope.setValue(viewModel.scopeProperty().get());
        // One-way each side: a ComboBox may clear its value while its items are replaced.
        scope.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.scopeProperty().set(now);
            }
        });
        viewModel.scopeProperty().addListener((obs, old, now) -> {
            scope.setValue(now);
            redrawOrMarkStale();
        });
        window.getItems().setAll(ChartWindow.values());
        window.valueProperty().bindBidirectional(viewModel.windowProperty());
        viewModel.windowProperty().addListener((obs, old, now) -> redrawOrMarkStale());
        pause.selectedProperty().bindBidirectional(viewModel.pausedProperty());
        pause.textProperty().bind(Bindings.when(viewModel.pausedProperty())
                .then(texts.getString("monitor.resume")).otherwise(texts.getString("monitor.pause")));
        viewModel.pausedProperty().addListener((obs, old, now) -> {
            updateShown();
            redrawOrMarkStale();
        });
        status.textProperty().bind(viewModel.statusProperty());
        notice.textProperty().bind(viewModel.noticeProperty());
        tickCost.textProperty().bind(viewModel.tickCostTextProperty());

        viewModel.latestSampleProperty().addListener((obs, old, sample) -> draw(sample));
        viewModel.historyClearedProperty().addListener((obs, old, now) -> redrawOrMarkStale());
        viewModel.setChartRenderer(kind -> {
            redrawIfStale();
            return charts.get(kind).png(viewModel.scopeProperty().get().label() + " · "
                    + viewModel.windowProperty().get().toString().toLowerCase(), EXPORT_WIDTH, EXPORT_HEIGHT);
        });

        curveCard = curveCard(texts);

        bindLoadGenerator();
        installShortcuts();

        palette.backgroundProperty().addListener((obs, old, now) -> applyTheme());
        root.sceneProperty().addListener((obs, old, now) -> {
            updateShown();
            if (now != null) {
                applyTheme();
                redrawOrMarkStale();
            }
        });
    }

    private VBox card(ChartKind kind, LiveChart chart, ResourceBundle texts) {
        Label title = new Label(kind.title() + (kind.serverWide() ? " (every model)" : ""));
        title.getStyleClass().add(StyleClasses.MONITOR_CARD_TITLE);
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label readout = new Label();
        readout.setId("readout-" + kind.fileKey());
        readout.getStyleClass().add(StyleClasses.MONITOR_READOUT);
        readout.textProperty().bind(viewModel.readoutProperty(kind));
        Button export = new Button(texts.getString("monitor.export"));
        export.setId("export-" + kind.fileKey());
        export.getStyleClass().addAll("flat", StyleClasses.MONITOR_EXPORT);
        export.setTooltip(new Tooltip(texts.getString("monitor.export.tooltip")));
        export.setOnAction(event -> export(kind));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title);
        if (kind.series().size() > 1) {
            for (ChartKind.Series line : kind.series()) {
                header.getChildren().add(legendEntry(line));
            }
        }
        header.getChildren().addAll(spacer, readout, export);
        header.getStyleClass().add(StyleClasses.MONITOR_CARD_HEADER);
        header.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        chart.viewer().setId("chart-" + kind.fileKey());
        VBox.setVgrow(chart.viewer(), Priority.ALWAYS);
        VBox card = new VBox(header, chart.viewer());
        card.getStyleClass().add(StyleClasses.MONITOR_CARD);
        card.setMinSize(0, 0);
        return card;
    }

    /** A line's name after a swatch of its colour: the legend lives in the header, not in the chart. */
    private static Label legendEntry(ChartKind.Series line) {
        Region swatch = new Region();
        swatch.getStyleClass().addAll(StyleClasses.MONITOR_SWATCH, switch (line.role()) {
            case ACCENT -> StyleClasses.MONITOR_ROLE_ACCENT;
            case SUCCESS -> StyleClasses.MONITOR_ROLE_SUCCESS;
            case WARNING -> StyleClasses.MONITOR_ROLE_WARNING;
            case DANGER -> StyleClasses.MONITOR_ROLE_DANGER;
        });
        Label entry = new Label(line.name(), swatch);
        entry.getStyleClass().add(StyleClasses.MONITOR_LEGEND);
        entry.setMinWidth(Region.USE_PREF_SIZE);
        return entry;
    }

    /** The curve's card, shown in a window of its own when a sweep has finished. */
    private VBox curveCard(ResourceBundle texts) {
        Label title = new Label(texts.getString("monitor.curve.title"));
        title.getStyleClass().add(StyleClasses.MONITOR_CARD_TITLE);
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label notice = new Label();
        notice.setId("curveNotice");
        notice.getStyleClass().add(StyleClasses.MONITOR_READOUT);
        notice.textProperty().bind(viewModel.load().curveNoticeProperty());
        Button png = new Button(texts.getString("monitor.curve.exportPng"));
        png.setId("exportCurvePng");
        png.setTooltip(new Tooltip(texts.getString("monitor.curve.exportPng.tooltip")));
        png.setOnAction(event -> exportCurve("PNG image", "png", viewModel.load()::exportCurvePng));
        Button csv = new Button(texts.getString("monitor.curve.exportCsv"));
        csv.setId("exportCurveCsv");
        csv.setTooltip(new Tooltip(texts.getString("monitor.curve.exportCsv.tooltip")));
        csv.setOnAction(event -> exportCurve("CSV", "csv", viewModel.load()::exportCurveCsv));
        Button hide = new Button(texts.getString("monitor.curve.close"));
        hide.setId("hideCurve");
        hide.setOnAction(event -> curveWindow.hide());
        for (Button button : List.of(png, csv, hide)) {
            button.getStyleClass().addAll("flat", StyleClasses.MONITOR_EXPORT);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, legendEntry(new ChartKind.Series("p50", ChartKind.SeriesRole.ACCENT, s -> 0)),
                legendEntry(new ChartKind.Series("p99", ChartKind.SeriesRole.DANGER, s -> 0)), spacer, notice, png, csv,
                hide);
        header.getStyleClass().add(StyleClasses.MONITOR_CARD_HEADER);
        header.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        curve.viewer().setId("chart-curve");
        VBox.setVgrow(curve.viewer(), Priority.ALWAYS);
        VBox card = new VBox(header, curve.viewer());
        card.setId("curveCard");
        card.getStyleClass().addAll(StyleClasses.MONITOR_CARD, "sd-page");
        card.setMinSize(0, 0);
        return card;
    }

    private void showCurveWindow() {
        if (curveWindow == null) {
            javafx.scene.Scene scene = new javafx.scene.Scene(curveCard, 1000, 560);
            scene.getStylesheets().addAll(root.getScene().getStylesheets());
            curveWindow = new javafx.stage.Stage();
            curveWindow.setTitle(Messages.bundle().getString("monitor.curve.title"));
            curveWindow.initOwner(root.getScene().getWindow());
            curveWindow.setScene(scene);
        }
        curveWindow.show();
        curveWindow.toFront();
    }

    /** Draws a finished sweep: a p50 and a p99 point per level at its req/s. */
    private void drawCurve(dev.servedeck.core.loadgen.sweep.SweepResult result) {
        curve.clear();
        if (result == null) {
            return;
        }
        for (var point : result.points()) {
            curve.add(0, point.requestsPerSecond(), point.p50Micros() / 1000, "c" + point.concurrency());
            curve.add(1, point.requestsPerSecond(), point.p99Micros() / 1000, "c" + point.concurrency());
        }
        if (root.getScene() != null) {
            showCurveWindow();
        }
    }

    private void exportCurve(String kind, String extension,
            java.util.function.Function<java.nio.file.Path, ?> export) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the latency-throughput curve as " + kind);
        chooser.setInitialFileName("servedeck-sweep." + extension);
        File directory = viewModel.exportDirectory().toFile();
        if (directory.isDirectory()) {
            chooser.setInitialDirectory(directory);
        }
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, "*." + extension));
        File file = chooser.showSaveDialog(curveWindow);
        if (file != null) {
            export.apply(file.toPath());
        }
    }

    private void bindLoadGenerator() {
        LoadGeneratorViewModel load = viewModel.load();
        sweepLevels.textProperty().bindBidirectional(load.sweepLevelsProperty());
        sweepSeconds.textProperty().bindBidirectional(load.sweepSecondsProperty());
        startSweep.disableProperty().bind(load.runningProperty());
        startSweep.setOnAction(event -> load.startSweep());
        load.curveProperty().addListener((obs, old, now) -> drawCurve(now));
        load.setCurveRenderer(() -> curve.png(load.curveProperty().get() == null ? ""
                : load.curveProperty().get().target(), EXPORT_WIDTH, EXPORT_HEIGHT));
        SignatureChooserControls.bind(load.chooser(), loadModel, loadVersion, loadSignature);
        requests.textProperty().bindBidirectional(load.requestsProperty());
        concurrency.textProperty().bindBidirectional(load.concurrencyProperty());
        rate.textProperty().bindBidirectional(load.rateProperty());
        grpc.setSelected(load.apiProperty().get().overGrpc());
        openInference.setSelected(load.apiProperty().get().openInference());
        grpc.selectedProperty().addListener((obs, old, now) ->
                load.apiProperty().set(LoadSpec.Api.of(now, openInference.isSelected())));
        openInference.selectedProperty().addListener((obs, old, now) ->
                load.apiProperty().set(LoadSpec.Api.of(grpc.isSelected(), now)));
        grpc.disableProperty().bind(load.runningProperty());
        openInference.disableProperty().bind(load.runningProperty());
        body.textProperty().bindBidirectional(load.bodyProperty());
        startLoad.disableProperty().bind(load.runningProperty());
        stopLoad.disableProperty().bind(load.runningProperty().not());
        resetBody.disableProperty().bind(load.chooser().modelProperty().isNull());
        startLoad.setOnAction(event -> load.start());
        stopLoad.setOnAction(event -> load.stop());
        resetBody.setOnAction(event -> load.resetBody());
        loadProgress.progressProperty().bind(load.progressProperty());
        loadProgressText.textProperty().bind(load.progressTextProperty());
        loadError.textProperty().bind(load.errorProperty());
        loadError.managedProperty().bind(loadError.textProperty().isNotEmpty());
    }

    /** Ctrl+Shift+P pauses or resumes, Ctrl+Shift+G sends load or stops it; only while the page is shown. */
    private void installShortcuts() {
        new PageShortcuts()
                .on(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                        viewModel::togglePaused)
                .on(new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), () -> {
                    if (viewModel.load().runningProperty().get()) {
                        viewModel.load().stop();
                    } else {
                        viewModel.load().start();
                    }
                })
                .attachTo(root);
    }

    private boolean shown() {
        return root.getScene() != null;
    }

    private boolean drawing() {
        return shown() && !viewModel.pausedProperty().get();
    }

    private void updateShown() {
        viewModel.setChartsShown(shown());
    }

    /** One sampler tick: one point per chart, one redraw each. */
    private void draw(StatisticsSample sample) {
        if (sample == null || !drawing()) {
            stale = true;
            return;
        }
        if (stale) {
            redraw();
            return;
        }
        for (LiveChart chart : charts.values()) {
            chart.append(sample);
        }
        viewModel.chartsDrawn(1);
    }

    private void redrawOrMarkStale() {
        stale = true;
        if (drawing()) {
            redraw();
        }
    }

    private void redrawIfStale() {
        if (stale && drawing()) {
            redraw();
        }
    }

    private void redraw() {
        List<StatisticsSample> samples = viewModel.visibleSamples();
        long windowMillis = viewModel.windowProperty().get().millis();
        for (LiveChart chart : charts.values()) {
            chart.show(samples, windowMillis);
        }
        stale = false;
        viewModel.chartsDrawn(samples.size());
    }

    private void applyTheme() {
        ChartPalette colours = ChartPalette.from(palette);
        charts.values().forEach(chart -> chart.applyTheme(colours));
        curve.applyTheme(colours);
    }

    private void export(ChartKind kind) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the " + kind.title().toLowerCase() + " chart as PNG");
        chooser.setInitialFileName(viewModel.exportFileName(kind));
        File directory = viewModel.exportDirectory().toFile();
        if (directory.isDirectory()) {
            chooser.setInitialDirectory(directory);
        }
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        File file = chooser.showSaveDialog(root.getScene().getWindow());
        if (file != null) {
            viewModel.exportChart(kind, file.toPath());
        }
    }

    /** The chart of {@code kind}, for tests that read what was drawn. */
    LiveChart chart(ChartKind kind) {
        return charts.get(kind);
    }
}
