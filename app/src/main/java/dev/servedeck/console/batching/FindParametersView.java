package dev.servedeck.console.batching;

import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.chooser.SignatureChooserControls;
import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.console.monitor.ChartKind;
import dev.servedeck.console.monitor.PointsChart;
import dev.servedeck.core.batching.tuning.TuningStep;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.ui.Messages;
import java.io.File;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The "Find parameters" window of the Batching page, bound to {@link FindParametersViewModel}: the target and
 * bounds, a warning before the search starts, a chart of the steps as they complete, Stop, and the proposal with
 * Apply and Save.
 */
public final class FindParametersView {

    private final FindParametersViewModel find;
    /** Each step's best level within the target: rows/s against p99, labelled "step (concurrency)". */
    private final PointsChart stepsChart = new PointsChart("Find parameters", "p99 (ms)", "rows per second",
            List.of(new PointsChart.Line("within the target", ChartKind.SeriesRole.SUCCESS, false),
                    new PointsChart.Line("missed it (lowest level)", ChartKind.SeriesRole.DANGER, false)));

    @FXML private VBox root;
    @FXML private ComboBox<String> findModel;
    @FXML private ComboBox<VersionOption> findVersion;
    @FXML private ComboBox<SignatureInfo> findSignature;
    @FXML private CheckBox findGrpc;
    @FXML private TextField findP99;
    @FXML private TextField findLevels;
    @FXML private TextField findSeconds;
    @FXML private TextField findRate;
    @FXML private TextField findBudget;
    @FXML private Button startFind;
    @FXML private Button stopFind;
    @FXML private Label findProgress;
    @FXML private Label findError;
    @FXML private VBox findChartBox;
    @FXML private Label proposal;
    @FXML private Button applyProposal;
    @FXML private Button saveProposal;
    @FXML private Label findNotice;

    public FindParametersView(FindParametersViewModel find) {
        this.find = find;
    }

    @FXML
    private void initialize() {
        SignatureChooserControls.bind(find.chooser(), findModel, findVersion, findSignature);
        findGrpc.selectedProperty().addListener((obs, old, now) ->
                find.apiProperty().set(now ? LoadSpec.Api.GRPC : LoadSpec.Api.REST));
        findP99.textProperty().bindBidirectional(find.p99MillisProperty());
        findLevels.textProperty().bindBidirectional(find.levelsProperty());
        findSeconds.textProperty().bindBidirectional(find.secondsPerLevelProperty());
        findRate.textProperty().bindBidirectional(find.maxRateProperty());
        findBudget.textProperty().bindBidirectional(find.budgetMinutesProperty());
        var running = find.runningProperty();
        for (Node input : List.of(findModel, findVersion, findSignature, findGrpc, findP99, findLevels, findSeconds,
                findRate, findBudget, startFind)) {
            input.disableProperty().bind(running);
        }
        stopFind.disableProperty().bind(running.not());
        startFind.setOnAction(event -> warnThenStart());
        stopFind.setOnAction(event -> find.stop());
        findProgress.textProperty().bind(find.progressProperty());
        findError.textProperty().bind(Bindings.concat(find.inputErrorProperty(), find.failureProperty()));
        hideWhenEmpty(findError);
        findNotice.textProperty().bind(find.noticeProperty());
        proposal.textProperty().bind(find.proposalTextProperty());
        hideWhenEmpty(proposal);
        var noProposal = Bindings.createBooleanBinding(() -> find.proposal().isEmpty(), find.resultProperty());
        applyProposal.disableProperty().bind(running.or(noProposal));
        saveProposal.disableProperty().bind(running.or(noProposal));
        applyProposal.setOnAction(event -> find.applyProposal());
        saveProposal.setOnAction(event -> chooseFileForProposal());
        stepsChart.viewer().setId("chart-find-parameters");
        VBox.setVgrow(stepsChart.viewer(), Priority.ALWAYS);
        findChartBox.getChildren().add(stepsChart.viewer());
        find.steps().addListener((ListChangeListener<TuningStep>) change -> drawSteps());
    }

    /** The operator must agree to load this server before the search starts. */
    private void warnThenStart() {
        String title = Messages.bundle().getString("batching.find.warning.title");
        Alert warning = new Alert(Alert.AlertType.WARNING, find.warning(), ButtonType.OK, ButtonType.CANCEL);
        warning.setTitle(title);
        warning.setHeaderText(title);
        warning.initOwner(root.getScene().getWindow());
        if (warning.showAndWait().filter(ButtonType.OK::equals).isPresent()) {
            find.start();
        }
    }

    private void drawSteps() {
        stepsChart.clear();
        for (TuningStep step : find.steps()) {
            if (step.best().isPresent()) {
                SweepPoint best = step.best().get();
                stepsChart.add(0, best.p99Micros() / 1000, best.rowsPerSecond(),
                        step.number() + " (c" + best.concurrency() + ")");
            } else if (!step.points().isEmpty()) {
                SweepPoint lowest = step.points().get(0);
                stepsChart.add(1, lowest.p99Micros() / 1000, lowest.rowsPerSecond(), Integer.toString(step.number()));
            }
        }
    }

    private void chooseFileForProposal() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(Messages.bundle().getString("batching.fileChooser.save"));
        chooser.setInitialFileName("batching_parameters.txt");
        File file = chooser.showSaveDialog(root.getScene().getWindow());
        if (file != null) {
            find.saveProposal(file.toPath());
        }
    }

    private static void hideWhenEmpty(Label label) {
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
    }
}
