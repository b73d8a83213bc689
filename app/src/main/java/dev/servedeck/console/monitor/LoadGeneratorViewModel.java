package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.BackendLoadRunner;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.chooser.SignatureChooser;
import dev.servedeck.console.kit.OperationState;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadSnapshot;
import dev.servedeck.core.loadgen.report.SweepCsv;
import dev.servedeck.core.loadgen.report.SweepTable;
import dev.servedeck.core.loadgen.sweep.ConcurrencySweep;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.core.signature.SignatureInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Monitor's load generator: "send N requests at concurrency C" (or at a fixed rate) to a model, version or
 * label chosen with the Predict page's chooser ({@link SignatureChooser}), over REST or gRPC, in TF Serving's
 * protocol or the Open Inference Protocol (a label then goes as the version it points at), with a valid Predict
 * body built from the chosen signature. The requests are sent by server-core's load engine ({@link LoadRun}),
 * started through the backend; the FX thread does nothing per request: it takes one engine snapshot per sampler
 * tick (and the result at the end). Methods run on the FX thread.
 *
 * <p>A concurrency sweep sends the same load at each level of a list (1, 2, 4 ... 64), each for a few seconds,
 * through the engine's {@link ConcurrencySweep}: the page follows the level running (one snapshot per tick) and at
 * the end holds the sweep's points, which the view draws as a latency-throughput curve and exports as PNG or CSV.
 */
public final class LoadGeneratorViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGeneratorViewModel.class);
    static final int DEFAULT_REQUESTS = 1_000;
    static final int DEFAULT_CONCURRENCY = 8;
    static final int MAX_REQUESTS = 10_000_000;
    static final int MAX_CONCURRENCY = 256;
    static final int MAX_RATE = 1_000_000;
    static final String DEFAULT_SWEEP_LEVELS = "1,2,4,8,16,32,64";
    static final int DEFAULT_SWEEP_SECONDS = 3;
    static final int MAX_SWEEP_SECONDS = 600;
    /** Load before each sweep level's measurement: its connections and the server settle first. */
    static final Duration SWEEP_WARM_UP = Duration.ofMillis(500);
    /** The model chosen first when there is one: the cheapest demo model. */
    static final String PREFERRED_MODEL = "half_plus_two";

    private final ConsoleBackend backend;
    private final Executor ui;
    private final Executor work;
    private final SignatureChooser chooser;
    /** A run is one operation: busy (running) from start to the last answer. */
    private final OperationState operation;
    private final StringProperty requests = new SimpleStringProperty(Integer.toString(DEFAULT_REQUESTS));
    private final StringProperty concurrency = new SimpleStringProperty(Integer.toString(DEFAULT_CONCURRENCY));
    /** Requests per second for an open loop; empty (or 0) for as fast as the concurrency allows. */
    private final StringProperty rate = new SimpleStringProperty("");
    private final ObjectProperty<LoadSpec.Api> api = new SimpleObjectProperty<>(LoadSpec.Api.REST);
    private final StringProperty body = new SimpleStringProperty("");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper sent = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper ok = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper failed = new ReadOnlyIntegerWrapper(0);
    private final StringProperty sweepLevels = new SimpleStringProperty(DEFAULT_SWEEP_LEVELS);
    private final StringProperty sweepSeconds = new SimpleStringProperty(Integer.toString(DEFAULT_SWEEP_SECONDS));
    /** The last sweep's points (null before one finished): the curve. */
    private final ReadOnlyObjectWrapper<SweepResult> curve = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper sweeping = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper curveNotice = new ReadOnlyStringWrapper("");
    private Supplier<ChartPng> curveRenderer;
    /** The sweep going on, or null. */
    private ConcurrencySweep sweep;
    /** The run going on (null before it has connected); {@link #starting} counts a start not yet connected. */
    private LoadRun run;
    private long total;
    private boolean stopWhenStarted;
    private Object starting;

    /**
     * @param work writes exported curves off the FX thread
     */
    public LoadGeneratorViewModel(ConsoleBackend backend, Executor ui, Executor work) {
        this.backend = backend;
        this.ui = ui;
        this.work = work;
        this.operation = new OperationState(ui);
        operation.failureProperty().addListener((obs, old, now) -> {
            if (!now.isEmpty()) {
                progressText.set("");
                error.set(now);
            }
        });
        this.chooser = new SignatureChooser(backend, ui).preferModel(PREFERRED_MODEL);
        chooser.signatureProperty().addListener((obs, old, now) -> fillTemplate(now));
        // The two protocols' bodies differ (instances or inputs, tensors or the protocol's inputs).
        api.addListener((obs, old, now) -> {
            if (old != null && now != null && old.openInference() != now.openInference()) {
                fillTemplate(chooser.signatureProperty().get());
            }
        });
        chooser.errorProperty().addListener((obs, old, now) -> {
            if (!now.isEmpty()) {
                error.set(now);
            }
        });
        chooser.start();
    }

    /** Sends the request body to the target, N times at concurrency C (at the rate, if one is given). */
    public void start() {
        if (operation.isBusy()) {
            return;
        }
        Optional<Integer> count = number(requests.get(), 1, MAX_REQUESTS, "Requests");
        Optional<Integer> parallel = count.isEmpty() ? Optional.empty()
                : number(concurrency.get(), 1, MAX_CONCURRENCY, "Concurrency");
        Optional<Integer> perSecond = parallel.isEmpty() ? Optional.empty() : rate();
        if (count.isEmpty() || parallel.isEmpty() || perSecond.isEmpty()) {
            return;
        }
        LoadPlan plan = new LoadPlan(parallel.get(), perSecond.get(), null, count.get(), Duration.ZERO,
                LoadPlan.DEFAULT_TIMEOUT);
        Optional<LoadSpec> chosen = spec(plan);
        if (chosen.isEmpty()) {
            return;
        }
        LoadSpec spec = chosen.get();
        Object attempt = new Object();
        starting = attempt;
        run = null;
        sweep = null;
        sweeping.set(false);
        total = count.get();
        stopWhenStarted = false;
        progress.set(0);
        progressText.set("Connecting…");
        LOG.info("Load generator: {} {} to {}", api.get(), plan.describe(), spec.restPath());
        // One operation from the start to the last answer: busy while connecting and sending.
        operation.run("Sending " + total + " requests to " + spec.restPath(), () -> backend.startLoad(spec)
                .thenApplyAsync(started -> adopt(attempt, started), ui)
                .thenCompose(started -> started.result().thenApply(result -> new Finished(started, result))),
                finished -> {
                    finish(finished.run(), finished.result());
                    return "";
                }, "The load generator stopped: ");
    }

    /**
     * Sends the load at each concurrency level of the sweep list in turn, each for the sweep's seconds (at the rate,
     * if one is given: then each level is an open loop with at most that many in flight), and keeps one point per
     * level for the latency-throughput curve.
     */
    public void startSweep() {
        if (operation.isBusy()) {
            return;
        }
        Optional<List<Integer>> levels = levels();
        Optional<Integer> seconds = levels.isEmpty() ? Optional.empty()
                : number(sweepSeconds.get(), 1, MAX_SWEEP_SECONDS, "Seconds per level");
        Optional<Integer> perSecond = seconds.isEmpty() ? Optional.empty() : rate();
        if (levels.isEmpty() || seconds.isEmpty() || perSecond.isEmpty()) {
            return;
        }
        LoadPlan perLevel = new LoadPlan(1, perSecond.get(), Duration.ofSeconds(seconds.get()), 0, SWEEP_WARM_UP,
                LoadPlan.DEFAULT_TIMEOUT);
        Optional<LoadSpec> chosen = spec(perLevel);
        if (chosen.isEmpty()) {
            return;
        }
        SweepPlan plan = new SweepPlan(levels.get(), perLevel);
        ConcurrencySweep started = new ConcurrencySweep(new BackendLoadRunner(backend, chosen.get()), plan);
        starting = null;
        run = null;
        sweep = started;
        sweeping.set(true);
        curve.set(null);
        curveNotice.set("");
        progress.set(0);
        progressText.set("Sweeping " + plan.describe() + "…");
        LOG.info("Load generator sweep: {} {} to {}", api.get(), plan.describe(), chosen.get().restPath());
        operation.run("Sweeping concurrency " + levels.get() + " on " + chosen.get().restPath(), started::start,
                result -> {
                    finishSweep(started, result);
                    return "";
                }, "The sweep stopped: ");
    }

    private void finishSweep(ConcurrencySweep finished, SweepResult result) {
        if (finished != sweep) {
            return;
        }
        sweeping.set(false);
        curve.set(result);
        progress.set(1);
        Optional<SweepPoint> best = result.points().stream().max(Comparator.comparingDouble(SweepPoint::requestsPerSecond));
        long errors = result.points().stream().mapToLong(SweepPoint::errors).sum();
        if (errors > 0) {
            error.set(String.format("%,d requests failed or went unsent during the sweep", errors));
        }
        progressText.set(String.format("Swept %d of %d levels%s%s", result.points().size(), result.plan().levels().size(),
                best.map(point -> String.format(" · best %,.0f req/s at c%d (p99 %s)", point.requestsPerSecond(),
                        point.concurrency(), millis(point.p99Micros()))).orElse(""),
                result.cancelled() ? " · cancelled" : ""));
    }

    private Optional<List<Integer>> levels() {
        try {
            List<Integer> parsed = SweepPlan.parseLevels(sweepLevels.get());
            if (!parsed.isEmpty() && parsed.stream().allMatch(level -> level >= 1 && level <= MAX_CONCURRENCY)) {
                return Optional.of(parsed);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        error.set(String.format("Sweep levels are concurrencies from 1 to %d separated by commas (1,2,4,8), not '%s'",
                MAX_CONCURRENCY, sweepLevels.get()));
        return Optional.empty();
    }

    private Optional<Integer> rate() {
        return rate.get() == null || rate.get().isBlank() ? Optional.of(0) : number(rate.get(), 0, MAX_RATE, "Rate");
    }

    /** The load for the chosen target and body, or empty (with the reason shown) when there is none yet. */
    private Optional<LoadSpec> spec(LoadPlan plan) {
        String to = chooser.restPath(RestVerb.PREDICT);
        if (to.isEmpty()) {
            error.set("Choose a model to send requests to (the server must be running).");
            return Optional.empty();
        }
        VersionChoice version = chooser.chosenVersion().choice();
        if (api.get().openInference()) {
            try {
                version = chooser.inferVersion(); // the Open Inference Protocol names versions, not labels
            } catch (IllegalArgumentException e) {
                error.set(e.getMessage());
                return Optional.empty();
            }
        }
        if (body.get() == null || body.get().isBlank()) {
            error.set("The request body is empty: choose the model again to get a valid one.");
            return Optional.empty();
        }
        error.set("");
        return Optional.of(new LoadSpec(chooser.modelProperty().get(), version, body.get(), api.get(), plan));
    }

    /** Where the curve's PNG comes from: the view draws its chart when asked (on the FX thread). */
    public void setCurveRenderer(Supplier<ChartPng> renderer) {
        this.curveRenderer = renderer;
    }

    /** Writes the last sweep's points as CSV, a row per level. */
    public CompletableFuture<Path> exportCurveCsv(Path file) {
        SweepResult points = curve.get();
        if (points == null) {
            return refuseExport();
        }
        String csv = SweepCsv.write(points);
        return export(file, "points", target -> Files.writeString(target, csv, StandardCharsets.UTF_8));
    }

    /** Writes the curve as drawn now as PNG. */
    public CompletableFuture<Path> exportCurvePng(Path file) {
        if (curve.get() == null || curveRenderer == null) {
            return refuseExport();
        }
        ChartPng png = curveRenderer.get();
        return export(file, "curve", png::writeTo);
    }

    private CompletableFuture<Path> refuseExport() {
        curveNotice.set("Run a sweep first: there is no curve to export.");
        return CompletableFuture.failedFuture(new IllegalStateException("No sweep has finished"));
    }

    /** Writing a file that may be slow (a network folder): off the FX thread, the notice says how it went. */
    private CompletableFuture<Path> export(Path file, String what, FileWrite write) {
        CompletableFuture<Path> written = CompletableFuture.supplyAsync(() -> {
            try {
                write.to(file);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
            }
        }, work);
        written.whenComplete((path, failure) -> ui.execute(() -> curveNotice.set(failure == null
                ? "Saved the sweep's " + what + " to " + path : Failures.message(failure))));
        return written;
    }

    /** Writes one export. */
    @FunctionalInterface
    private interface FileWrite {
        void to(Path file) throws IOException;
    }

    /** A run and what it answered. */
    private record Finished(LoadRun run, LoadResult result) {
    }

    /** The run has connected: it is the one the page follows, unless the page was closed meanwhile. */
    private LoadRun adopt(Object attempt, LoadRun started) {
        if (starting != attempt) {
            started.stop(); // superseded meanwhile (closed)
            return started;
        }
        run = started;
        if (stopWhenStarted) {
            started.stop();
        }
        return started;
    }

    /** Sends no more requests (a sweep starts no other level); those in flight still finish and count. */
    public void stop() {
        if (sweep != null) {
            sweep.cancel();
        } else if (run != null) {
            run.stop();
        } else if (operation.isBusy()) {
            stopWhenStarted = true;
        }
    }

    private void finish(LoadRun finished, LoadResult result) {
        if (finished != run) {
            return;
        }
        sent.set((int) result.sent());
        ok.set((int) result.ok());
        failed.set((int) result.failed());
        progress.set(total == 0 ? 1 : Math.min(1, (double) result.answered() / total));
        showErrors(result.errors());
        // The final line last: it tells a reader (and a test) that the run's outcome is all shown.
        progressText.set(String.format("Sent %,d of %,d · %,d ok · %,d failed · %,.0f req/s · p50 %s · p99 %s",
                result.sent(), total, result.ok(), result.failed(), result.requestsPerSecond(),
                millis(result.latency().p50Micros()), millis(result.latency().p99Micros())));
        LOG.info("Load generator done: {} sent, {} ok, {} failed, {} req/s", result.sent(), result.ok(),
                result.failed(), String.format("%.0f", result.requestsPerSecond()));
    }

    /** Called on each sampler tick: one engine snapshot per tick, never an update per answer. */
    void refreshProgress() {
        if (sweep != null && operation.isBusy()) {
            var now = sweep.progress();
            progress.set(now.fraction());
            progressText.set("Sweep " + SweepTable.progress(now));
            if (now.current() != null) {
                showErrors(now.current().errors());
            }
            return;
        }
        if (run == null || !operation.isBusy()) {
            return;
        }
        LoadSnapshot now = run.snapshot();
        sent.set((int) now.sent());
        ok.set((int) (now.answered() - now.failed()));
        failed.set((int) now.failed());
        progress.set(now.progress());
        progressText.set(String.format("Sending: %,d of %,d · %,d ok · %,d failed · %,.0f req/s · p50 %s · p99 %s%s",
                now.sent(), total, now.answered() - now.failed(), now.failed(), now.recentRequestsPerSecond(),
                millis(now.recent().p50Micros()), millis(now.recent().p99Micros()),
                now.backlog() > 0 ? String.format(" · %,d behind the rate", now.backlog()) : ""));
        showErrors(now.errors());
    }

    private void showErrors(Map<String, Long> errors) {
        if (!errors.isEmpty()) {
            error.set("Errors by status: " + errors.entrySet().stream()
                    .map(entry -> String.format("%s: %,d", entry.getKey(), entry.getValue()))
                    .collect(Collectors.joining(", ")));
        }
    }

    private static String millis(double micros) {
        return String.format("%.2f ms", micros / 1000);
    }

    private Optional<Integer> number(String text, int min, int max, String what) {
        try {
            int value = Integer.parseInt(text == null ? "" : text.trim().replace(",", "").replace("_", ""));
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error.set(String.format("%s must be a whole number from %,d to %,d, not '%s'", what, min, max, text));
        return Optional.empty();
    }

    /** Fills the body with a valid Predict request for the chosen signature, in the chosen protocol's JSON. */
    private void fillTemplate(SignatureInfo chosen) {
        if (chosen != null) {
            body.set(api.get().openInference() ? LoadRequestBody.inferBody(chosen) : LoadRequestBody.predictBody(chosen));
        }
    }

    /** Refills the body for the chosen signature (reading the signatures again if there is none). */
    public void resetBody() {
        if (chooser.signatureProperty().get() == null) {
            chooser.loadSignatures();
        } else {
            fillTemplate(chooser.signatureProperty().get());
        }
    }

    @Override
    public void close() {
        stop();
        starting = null;
        chooser.close();
    }

    /** Where requests go: the same model → version → signature chooser as the Predict page's. */
    public SignatureChooser chooser() {
        return chooser;
    }

    public StringProperty requestsProperty() {
        return requests;
    }

    public StringProperty concurrencyProperty() {
        return concurrency;
    }

    public StringProperty rateProperty() {
        return rate;
    }

    public ObjectProperty<LoadSpec.Api> apiProperty() {
        return api;
    }

    public StringProperty sweepLevelsProperty() {
        return sweepLevels;
    }

    public StringProperty sweepSecondsProperty() {
        return sweepSeconds;
    }

    /** The last sweep's result (null until one finishes; cleared when the next starts). */
    public ReadOnlyObjectProperty<SweepResult> curveProperty() {
        return curve.getReadOnlyProperty();
    }

    /** Whether the run going on is a sweep. */
    public ReadOnlyBooleanProperty sweepingProperty() {
        return sweeping.getReadOnlyProperty();
    }

    /** How the last curve export went. */
    public ReadOnlyStringProperty curveNoticeProperty() {
        return curveNotice.getReadOnlyProperty();
    }

    public StringProperty bodyProperty() {
        return body;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return operation.busyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty sentProperty() {
        return sent.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty okProperty() {
        return ok.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }
}
