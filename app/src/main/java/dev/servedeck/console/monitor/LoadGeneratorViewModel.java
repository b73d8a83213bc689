package dev.servedeck.console.monitor;

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
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.core.signature.SignatureInfo;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
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
 */
public final class LoadGeneratorViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGeneratorViewModel.class);
    static final int DEFAULT_REQUESTS = 1_000;
    static final int DEFAULT_CONCURRENCY = 8;
    static final int MAX_REQUESTS = 10_000_000;
    static final int MAX_CONCURRENCY = 256;
    static final int MAX_RATE = 1_000_000;
    /** The model chosen first when there is one: the cheapest demo model. */
    static final String PREFERRED_MODEL = "half_plus_two";

    private final ConsoleBackend backend;
    private final Executor ui;
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
    /** The run going on (null before it has connected); {@link #starting} counts a start not yet connected. */
    private LoadRun run;
    private long total;
    private boolean stopWhenStarted;
    private Object starting;

    public LoadGeneratorViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
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
        String to = chooser.restPath(RestVerb.PREDICT);
        VersionChoice version = chooser.chosenVersion().choice();
        if (api.get().openInference() && !to.isEmpty()) {
            try {
                version = chooser.inferVersion();
            } catch (IllegalArgumentException e) {
                error.set(e.getMessage());
                return;
            }
            to = SignatureChooser.inferPath(chooser.modelProperty().get(), version);
        }
        Optional<Integer> count = number(requests.get(), 1, MAX_REQUESTS, "Requests");
        Optional<Integer> parallel = count.isEmpty() ? Optional.empty()
                : number(concurrency.get(), 1, MAX_CONCURRENCY, "Concurrency");
        Optional<Integer> perSecond = parallel.isEmpty() ? Optional.empty()
                : rate.get() == null || rate.get().isBlank() ? Optional.of(0) : number(rate.get(), 0, MAX_RATE, "Rate");
        if (count.isEmpty() || parallel.isEmpty() || perSecond.isEmpty()) {
            return;
        }
        if (to.isEmpty()) {
            error.set("Choose a model to send requests to (the server must be running).");
            return;
        }
        if (body.get() == null || body.get().isBlank()) {
            error.set("The request body is empty: choose the model again to get a valid one.");
            return;
        }
        error.set("");
        LoadPlan plan = new LoadPlan(parallel.get(), perSecond.get(), null, count.get(), Duration.ZERO,
                LoadPlan.DEFAULT_TIMEOUT);
        LoadSpec spec = new LoadSpec(chooser.modelProperty().get(), version, body.get(),
                api.get(), plan);
        Object attempt = new Object();
        starting = attempt;
        run = null;
        total = count.get();
        stopWhenStarted = false;
        progress.set(0);
        progressText.set("Connecting…");
        LOG.info("Load generator: {} {} to {}", api.get(), plan.describe(), spec.restPath());
        // One operation from the start to the last answer: busy while connecting and sending.
        operation.run("Sending " + total + " requests to " + to, () -> backend.startLoad(spec)
                .thenApplyAsync(started -> adopt(attempt, started), ui)
                .thenCompose(started -> started.result().thenApply(result -> new Finished(started, result))),
                finished -> {
                    finish(finished.run(), finished.result());
                    return "";
                }, "The load generator stopped: ");
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

    /** Sends no more requests; those in flight still finish and count. */
    public void stop() {
        if (run != null) {
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
        progressText.set(String.format("Sent %,d of %,d · %,d ok · %,d failed · %,.0f req/s · p50 %s · p99 %s",
                result.sent(), total, result.ok(), result.failed(), result.requestsPerSecond(),
                millis(result.latency().p50Micros()), millis(result.latency().p99Micros())));
        showErrors(result.errors());
        LOG.info("Load generator done: {} sent, {} ok, {} failed, {} req/s", result.sent(), result.ok(),
                result.failed(), String.format("%.0f", result.requestsPerSecond()));
    }

    /** Called on each sampler tick: one engine snapshot per tick, never an update per answer. */
    void refreshProgress() {
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
