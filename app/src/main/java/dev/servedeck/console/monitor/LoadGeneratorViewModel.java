package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.console.backend.VersionChoice;
import java.util.ArrayList;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
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
 * The Monitor's load generator: "send N requests at concurrency C" to a model (its latest version) or a
 * model version, with a valid Predict body built from the target's signature, over the real REST API. Its
 * progress is refreshed by the Monitor's sampler tick (and once at the end), so a fast run does not flood
 * the FX thread with an update per answer. Methods run on the FX thread.
 */
public final class LoadGeneratorViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGeneratorViewModel.class);
    static final int DEFAULT_REQUESTS = 1_000;
    static final int DEFAULT_CONCURRENCY = 8;
    static final int MAX_REQUESTS = 10_000_000;
    static final int MAX_CONCURRENCY = 256;
    /** The target chosen first when there is one: the cheapest demo model. */
    static final MonitorScope PREFERRED_TARGET = MonitorScope.ofModel("half_plus_two");

    private final ConsoleBackend backend;
    private final Executor ui;
    private final ObservableList<MonitorScope> targets = FXCollections.observableArrayList();
    private final ObjectProperty<MonitorScope> target = new SimpleObjectProperty<>();
    private final StringProperty requests = new SimpleStringProperty(Integer.toString(DEFAULT_REQUESTS));
    private final StringProperty concurrency = new SimpleStringProperty(Integer.toString(DEFAULT_CONCURRENCY));
    private final StringProperty body = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper sent = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper ok = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper failed = new ReadOnlyIntegerWrapper(0);
    private LoadGenerator generator;

    public LoadGeneratorViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
        target.addListener((obs, old, now) -> fillTemplate(now));
    }

    /** The models and versions requests can go to now; the first offer picks a target. */
    void offerTargets(SortedSet<MonitorScope> sendable) {
        if (target.get() != null) {
            sendable.add(target.get()); // the choice never disappears under the operator
        }
        if (!targets.equals(new ArrayList<>(sendable))) {
            targets.setAll(sendable);
        }
        if (target.get() == null && !targets.isEmpty()) {
            target.set(targets.contains(PREFERRED_TARGET) ? PREFERRED_TARGET
                    : targets.stream().filter(scope -> !scope.isVersion()).findFirst().orElse(targets.get(0)));
        }
    }

    /** Sends the request body to the target, N times at concurrency C, as the fields say. */
    public void start() {
        if (running.get()) {
            return;
        }
        MonitorScope to = target.get();
        Optional<Integer> total = number(requests.get(), 1, MAX_REQUESTS, "Requests");
        Optional<Integer> parallel = total.isEmpty() ? Optional.empty()
                : number(concurrency.get(), 1, MAX_CONCURRENCY, "Concurrency");
        if (total.isEmpty() || parallel.isEmpty()) {
            return;
        }
        if (to == null) {
            error.set("Choose a model to send requests to (the server must be running).");
            return;
        }
        if (body.get() == null || body.get().isBlank()) {
            error.set("The request body is empty: choose the model again to get a valid one.");
            return;
        }
        error.set("");
        LoadGenerator started = new LoadGenerator(backend::sendRest, RestCall.post(to.predictPath(), body.get()),
                total.get(), parallel.get(), System::nanoTime);
        generator = started;
        running.set(true);
        LOG.info("Load generator: {} requests to {} at concurrency {}", total.get(), to.predictPath(), parallel.get());
        started.start().thenAccept(counts -> ui.execute(() -> finish(started, counts)));
        refreshProgress();
    }

    /** Sends no more requests; those in flight still finish and count. */
    public void stop() {
        if (generator != null) {
            generator.stop();
        }
    }

    private void finish(LoadGenerator finished, LoadGenerator.Progress counts) {
        if (finished != generator) {
            return;
        }
        showProgress(counts);
        running.set(false);
        LOG.info("Load generator done: {} sent, {} ok, {} failed, {} req/s", counts.sent(), counts.ok(),
                counts.failed(), String.format("%.0f", counts.requestsPerSecond()));
    }

    /** Called on each sampler tick: progress shows at the charts' pace, not per answer. */
    void refreshProgress() {
        if (generator != null && running.get()) {
            showProgress(generator.progress());
        }
    }

    private void showProgress(LoadGenerator.Progress counts) {
        sent.set(counts.sent());
        ok.set(counts.ok());
        failed.set(counts.failed());
        progress.set((double) counts.completed() / counts.total());
        progressText.set(String.format("%s %,d of %,d · %,d ok · %,d failed · %,.0f req/s",
                counts.done() ? "Sent" : "Sending:", counts.sent(), counts.total(), counts.ok(),
                counts.failed(), counts.requestsPerSecond()));
        if (counts.failed() > 0) {
            error.set("Last failure: " + counts.lastFailure());
        }
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

    /** Fills the body with a valid Predict request for {@code to}, from its signature. */
    private void fillTemplate(MonitorScope to) {
        if (to == null) {
            return;
        }
        VersionChoice version = to.isVersion() ? new VersionChoice.Number(to.version()) : VersionChoice.LATEST;
        backend.signatures(to.model(), version).whenComplete((signatures, failure) -> ui.execute(() -> {
            if (!to.equals(target.get())) {
                return; // the operator chose another target meanwhile
            }
            if (failure != null) {
                error.set("Could not read the signature of " + to.label() + ": " + Failures.message(failure));
            } else {
                body.set(LoadRequestBody.predictBody(signatures));
            }
        }));
    }

    /** Refills the body for the chosen target. */
    public void resetBody() {
        fillTemplate(target.get());
    }

    @Override
    public void close() {
        stop();
    }

    public ObservableList<MonitorScope> targets() {
        return targets;
    }

    public ObjectProperty<MonitorScope> targetProperty() {
        return target;
    }

    public StringProperty requestsProperty() {
        return requests;
    }

    public StringProperty concurrencyProperty() {
        return concurrency;
    }

    public StringProperty bodyProperty() {
        return body;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
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
