package dev.servedeck.console.batching;

import dev.servedeck.console.backend.BackendLoadRunner;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.chooser.SignatureChooser;
import dev.servedeck.console.kit.OperationState;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.tuning.BatchingTuner;
import dev.servedeck.core.batching.tuning.SweepTuningLoad;
import dev.servedeck.core.batching.tuning.TuningGoal;
import dev.servedeck.core.batching.tuning.TuningListener;
import dev.servedeck.core.batching.tuning.TuningReport;
import dev.servedeck.core.batching.tuning.TuningResult;
import dev.servedeck.core.batching.tuning.TuningSpace;
import dev.servedeck.core.batching.tuning.TuningStep;
import dev.servedeck.core.loadgen.report.SweepTable;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepProgress;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.SignatureInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Find parameters…" on the Batching page: the core's {@link BatchingTuner} against the console's server, for a
 * model, a p99 target and bounds on the load (levels, seconds per level, an optional rate, a time budget). Each step
 * is applied live through the backend, exactly as Apply does, measured with the load engine through the backend, and
 * shown as it completes; at the end the parameters in force before are restored and the proposal waits for Apply
 * or Save. Methods run on the FX thread; the search runs on its own thread and reports per level and per step,
 * never per request.
 */
public final class FindParametersViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FindParametersViewModel.class);
    /** The model chosen first when there is one: the demo MLP, the model batching is for. */
    static final String PREFERRED_MODEL = "mlp";
    static final String DEFAULT_P99_MILLIS = "20";
    static final String DEFAULT_SECONDS_PER_LEVEL = "2";
    static final String DEFAULT_BUDGET_MINUTES = "5";

    private final ConsoleBackend backend;
    private final Executor ui;
    private final Clock clock;
    private final SignatureChooser chooser;
    private final OperationState operation;
    private final StringProperty p99Millis = new SimpleStringProperty(DEFAULT_P99_MILLIS);
    private final StringProperty levels = new SimpleStringProperty("1,2,4,8,16,32,64");
    private final StringProperty secondsPerLevel = new SimpleStringProperty(DEFAULT_SECONDS_PER_LEVEL);
    /** Requests per second at most; empty for none. */
    private final StringProperty maxRate = new SimpleStringProperty("");
    private final StringProperty budgetMinutes = new SimpleStringProperty(DEFAULT_BUDGET_MINUTES);
    private final ObjectProperty<LoadSpec.Api> api = new SimpleObjectProperty<>(LoadSpec.Api.REST);
    /** Steps measured so far, in order (the chart's points). */
    private final ObservableList<TuningStep> steps = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper inputError = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<TuningResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper proposalText = new ReadOnlyStringWrapper("");
    private BatchingTuner tuner;
    private SweepTuningLoad load;
    private String stepNow = "";

    public FindParametersViewModel(ConsoleBackend backend, Executor ui, Clock clock) {
        this.backend = backend;
        this.ui = ui;
        this.clock = clock;
        this.operation = new OperationState(ui);
        this.chooser = new SignatureChooser(backend, ui).preferModel(PREFERRED_MODEL);
        chooser.start();
    }

    /** The warning shown before a search starts: what it will do to this server. */
    public String warning() {
        return String.format(Locale.ROOT, "Find parameters sends real load to this server: %s, each level for %s s, "
                + "for up to %s minutes%s. While it runs, the server's batching parameters change step by step for "
                + "every client; when it ends or is stopped the parameters in force now are restored, and nothing "
                + "changes unless you apply the proposal.", "concurrency " + levels.get(), secondsPerLevel.get(),
                budgetMinutes.get(), maxRate.get() == null || maxRate.get().isBlank() ? ""
                        : ", at most " + maxRate.get() + " requests per second");
    }

    /** Starts the search (after the view has warned the operator). */
    public void start() {
        if (operation.isBusy()) {
            return;
        }
        Optional<TuningGoal> goal = goal();
        if (goal.isEmpty()) {
            return;
        }
        if (!backend.batchingEnabled()) {
            inputError.set("The server runs without batching: start it with batching to tune it.");
            return;
        }
        SignatureInfo signature = chooser.signatureProperty().get();
        if (chooser.modelProperty().get() == null || signature == null) {
            inputError.set("Choose a model (the server must be running).");
            return;
        }
        inputError.set("");
        LoadSpec spec = new LoadSpec(chooser.modelProperty().get(), chooser.chosenVersion().choice(),
                LoadRequestBody.predictBody(signature), api.get(), goal.get().sweepPlan().perLevel());
        load = new SweepTuningLoad(new BackendLoadRunner(backend, spec), goal.get());
        BatchingTuner started = new BatchingTuner(new BackendBatchingControl(backend), load, goal.get(),
                TuningSpace.defaults(Runtime.getRuntime().availableProcessors()), clock).listener(new OnFx());
        tuner = started;
        steps.clear();
        result.set(null);
        proposalText.set("");
        progress.set("Starting…");
        LOG.info("Find parameters: {} with p99 <= {} ms", spec.predictPath(), p99Millis.get());
        operation.run("Finding batching parameters for " + spec.model(), () -> searchOnItsThread(started),
                done -> {
                    finish(done);
                    return "";
                }, "The search failed: ");
    }

    private static CompletableFuture<TuningResult> searchOnItsThread(BatchingTuner search) {
        CompletableFuture<TuningResult> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                done.complete(search.run());
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        }, "console-batching-tuner");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private void finish(TuningResult done) {
        result.set(done);
        progress.set(switch (done.ending()) {
            case COMPLETED -> "Done: " + done.steps().size() + " steps.";
            case STOPPED -> "Stopped after " + done.steps().size() + " steps.";
            case BUDGET_SPENT -> "The time budget ran out after " + done.steps().size() + " steps.";
            case FAILED -> "Failed: " + done.failure();
        } + (done.restored() ? " The parameters in force before are restored." : " COULD NOT restore the parameters: "
                + "check them above."));
        proposalText.set("Proposal: " + TuningReport.proposal(done));
    }

    /** Stops the search: the level running is cut short, then the parameters are restored. */
    public void stop() {
        if (tuner != null) {
            tuner.stop();
        }
    }

    /** Applies the proposal live, as the form's Apply would. */
    public CompletableFuture<Void> applyProposal() {
        Optional<BatchingOptions> proposed = proposal();
        if (proposed.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return operation.run("Applying the proposal", () -> backend.applyBatching(proposed.get()),
                ignored -> "Applied the proposal: the next batch uses it (no model was reloaded)",
                "The server refused the proposal: ");
    }

    /** Writes the proposal as a {@code --batching_parameters_file}, by the same path as the page's Save. */
    public CompletableFuture<Void> saveProposal(Path file) {
        Optional<BatchingOptions> proposed = proposal();
        if (proposed.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return operation.run("Saving " + file.getFileName(), () -> backend.saveBatchingFile(proposed.get(), file),
                ignored -> "Saved the proposal to " + file, "Could not save the proposal: ");
    }

    /** The proposal when it changes something. */
    public Optional<BatchingOptions> proposal() {
        TuningResult done = result.get();
        return done == null || !done.proposesAChange() ? Optional.empty()
                : done.proposal().map(TuningStep::options);
    }

    /** On each refresh tick: the level running now, from one snapshot. */
    public void refreshProgress() {
        SweepTuningLoad running = load;
        if (!operation.isBusy() || running == null) {
            return;
        }
        SweepProgress now = running.progress();
        if (now != null) {
            progress.set(stepNow + " · " + SweepTable.progress(now));
        }
    }

    private Optional<TuningGoal> goal() {
        try {
            double target = positive(p99Millis.get(), "The p99 target");
            List<Integer> climb = SweepPlan.parseLevels(levels.get());
            double seconds = positive(secondsPerLevel.get(), "Seconds per level");
            double minutes = positive(budgetMinutes.get(), "The time budget");
            double rate = maxRate.get() == null || maxRate.get().isBlank() ? 0 : positive(maxRate.get(), "The rate bound");
            return Optional.of(new TuningGoal(Duration.ofNanos(Math.round(target * 1e6)), climb,
                    Duration.ofMillis(Math.round(seconds * 1000)), TuningGoal.DEFAULT_WARM_UP, rate,
                    Duration.ofSeconds(Math.round(minutes * 60))));
        } catch (IllegalArgumentException e) {
            inputError.set(e.getMessage());
            return Optional.empty();
        }
    }

    private static double positive(String text, String what) {
        try {
            double value = Double.parseDouble(text == null ? "" : text.trim());
            if (value > 0 && !Double.isInfinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(what + " must be a positive number, not '" + text + "'");
    }

    /** The tuner's news, on the FX thread: a few per second at most (per level and per step). */
    private final class OnFx implements TuningListener {
        @Override
        public void stepStarted(int number, BatchingOptions options, String change) {
            ui.execute(() -> {
                stepNow = "Step " + number + " (" + change + ")";
                progress.set(stepNow + ": applied, connecting…");
            });
        }

        @Override
        public void levelMeasured(int step, SweepPoint point) {
            String line = String.format(Locale.ROOT, "Step %d: c%d %,.0f req/s, p99 %.2f ms", step,
                    point.concurrency(), point.requestsPerSecond(), point.p99Micros() / 1000);
            ui.execute(() -> progress.set(line));
        }

        @Override
        public void stepDone(TuningStep step) {
            ui.execute(() -> steps.add(step));
        }
    }

    @Override
    public void close() {
        stop();
        chooser.close();
    }

    public SignatureChooser chooser() {
        return chooser;
    }

    public StringProperty p99MillisProperty() {
        return p99Millis;
    }

    public StringProperty levelsProperty() {
        return levels;
    }

    public StringProperty secondsPerLevelProperty() {
        return secondsPerLevel;
    }

    public StringProperty maxRateProperty() {
        return maxRate;
    }

    public StringProperty budgetMinutesProperty() {
        return budgetMinutes;
    }

    public ObjectProperty<LoadSpec.Api> apiProperty() {
        return api;
    }

    public ObservableList<TuningStep> steps() {
        return steps;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return operation.busyProperty();
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty inputErrorProperty() {
        return inputError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return operation.noticeProperty();
    }

    public ReadOnlyStringProperty failureProperty() {
        return operation.failureProperty();
    }

    public ReadOnlyObjectProperty<TuningResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty proposalTextProperty() {
        return proposalText.getReadOnlyProperty();
    }
}
