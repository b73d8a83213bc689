package dev.servedeck.console.batching;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.kit.FxCoalescer;
import dev.servedeck.console.kit.OperationState;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.metrics.BatchingActivity;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Batching page: a form over every batching parameter, checked field by field as the operator types
 * ({@link BatchingForm}); Apply changes the server's parameters live (no model reloads), Revert shows the
 * values in force again; a {@code --batching_parameters_file} can fill the form or receive it. While the
 * server does not batch (stopped, or started without batching) the form only shows the parameters.
 *
 * <p>Methods are called on the FX thread; backend results come back through {@code ui}.
 */
public final class BatchingViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;

    private final Map<BatchingField, StringProperty> texts = new EnumMap<>(BatchingField.class);
    private final Map<BatchingField, ReadOnlyStringWrapper> errors = new EnumMap<>(BatchingField.class);
    private final BooleanProperty padVariableLengthInputs = new SimpleBooleanProperty(false);
    private final BooleanProperty enableLargeBatchSplitting = new SimpleBooleanProperty(false);
    private final BooleanProperty adaptiveBatchTimeout = new SimpleBooleanProperty(true);
    private final ReadOnlyStringWrapper threadPoolName = new ReadOnlyStringWrapper("");

    private final ReadOnlyObjectWrapper<BatchingOptions> inForce = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper editable = new ReadOnlyBooleanWrapper(false);
    /** Why the form only shows, where the backend says (empty: the page's own words, batching is off). */
    private final ReadOnlyStringWrapper readOnlyReason = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(false);
    /** Apply, load, save: busy while it runs, what it did ("Applied ...", "Loaded ...") or why it failed. */
    private final OperationState operation;
    private final ReadOnlyBooleanProperty busy;
    /** A cross-field rule the form breaks. */
    private final ReadOnlyStringWrapper validationError = new ReadOnlyStringWrapper("");
    /** A problem no field owns: the server's refusal or a file that would not load, else a cross-field rule. */
    private final ReadOnlyStringWrapper formError = new ReadOnlyStringWrapper("");

    private final ReadOnlyStringWrapper meanBatchSize = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper batchesPerSecond = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper queuedTasks = new ReadOnlyStringWrapper("–");

    private final BooleanBinding canApply;
    private final BooleanBinding canRevert;
    private final BooleanBinding canLoad;
    /** True while the form is being filled from options: one check afterwards, not one per field. */
    private boolean filling;

    public BatchingViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
        this.operation = new OperationState(ui);
        this.busy = operation.busyProperty();
        validationError.addListener((obs, old, now) -> showFormError());
        operation.failureProperty().addListener((obs, old, now) -> showFormError());
        for (BatchingField field : BatchingField.values()) {
            StringProperty text = new SimpleStringProperty("");
            text.addListener((obs, old, now) -> formChanged());
            texts.put(field, text);
            errors.put(field, new ReadOnlyStringWrapper(""));
        }
        padVariableLengthInputs.addListener((obs, old, now) -> formChanged());
        enableLargeBatchSplitting.addListener((obs, old, now) -> formChanged());
        adaptiveBatchTimeout.addListener((obs, old, now) -> formChanged());
        canApply = Bindings.createBooleanBinding(() -> editable.get() && dirty.get() && valid.get() && !busy.get(),
                editable, dirty, valid, busy);
        canRevert = Bindings.createBooleanBinding(() -> editable.get() && dirty.get() && !busy.get(),
                editable, dirty, busy);
        canLoad = Bindings.createBooleanBinding(() -> editable.get() && !busy.get(), editable, busy);

        inForce.set(backend.batchingOptions());
        fill(inForce.get());
        editable.set(backend.batchingEnabled());
        readOnlyReason.set(backend.capabilities().batchingOff().orElse(""));
        // A start, stop or restart changes what is in force and whether it can be edited.
        FxCoalescer refreshSoon = new FxCoalescer(ui, this::refresh);
        backend.onEvent(event -> refreshSoon.run());
    }

    /** Sends the form's values to the server, if they pass every check; nothing is sent otherwise. */
    public CompletableFuture<Void> apply() {
        if (!editable.get() || busy.get() || !dirty.get()) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<BatchingOptions> options = checkedOptions();
        if (options.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        BatchingOptions chosen = options.get();
        return operation.run("Applying the batching parameters", () -> backend.applyBatching(chosen), ignored -> {
            inForce.set(backend.batchingOptions());
            fill(inForce.get());
            return "Applied: the next batch uses these values (no model was reloaded)";
        }, "The server refused the batching parameters: ");
    }

    /** Shows the values in force again, dropping the edits. */
    public void revert() {
        inForce.set(backend.batchingOptions());
        fill(inForce.get());
        validationError.set("");
        operation.clear();
    }

    /** Fills the form from a {@code --batching_parameters_file}; nothing is applied until Apply. */
    public CompletableFuture<Void> load(Path file) {
        if (!canLoad.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return operation.run("Loading " + file.getFileName(), () -> backend.readBatchingFile(file), options -> {
            fill(options);
            return dirty.get() ? "Loaded " + file.getFileName() + ": Apply to use these values"
                    : "Loaded " + file.getFileName() + ": the same values as in force";
        }, "Cannot load " + file.getFileName() + ": ");
    }

    /** Writes the form's values (if they pass every check) as a {@code --batching_parameters_file}. */
    public CompletableFuture<Void> save(Path file) {
        if (busy.get()) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<BatchingOptions> options = checkedOptions();
        if (options.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        BatchingOptions chosen = options.get();
        return operation.run("Saving " + file.getFileName(), () -> backend.saveBatchingFile(chosen, file),
                ignored -> "Saved to " + file, "Cannot save " + file.getFileName() + ": ");
    }

    /** The server's refusal (or a file's problem) while there is one, else the form's cross-field rule. */
    private void showFormError() {
        String failure = operation.failureProperty().get();
        formError.set(failure.isEmpty() ? validationError.get() : failure);
    }

    /**
     * Reads what the server has in force and its live batching numbers; called every second (FX thread). A
     * form without edits follows the server (e.g. after a restart); one with edits keeps them.
     */
    public void refresh() {
        editable.set(backend.batchingEnabled());
        readOnlyReason.set(backend.capabilities().batchingOff().orElse(""));
        BatchingOptions now = backend.batchingOptions();
        if (!now.equals(inForce.get())) {
            boolean followServer = !dirty.get() && !busy.get();
            inForce.set(now);
            if (followServer) {
                fill(now);
            } else {
                formChanged();
            }
        }
        Optional<BatchingActivity> activity = backend.statistics().flatMap(StatisticsSnapshot::batching);
        meanBatchSize.set(activity.map(a -> String.format(Locale.ROOT, "%.1f", a.meanBatchSize())).orElse("–"));
        batchesPerSecond.set(activity.map(a -> String.format(Locale.ROOT, "%.1f", a.batchesPerSecond())).orElse("–"));
        queuedTasks.set(activity.map(a -> Integer.toString(a.queuedTasks())).orElse("–"));
    }

    /** The form as typed now. */
    public BatchingForm form() {
        Map<BatchingField, String> values = new EnumMap<>(BatchingField.class);
        texts.forEach((field, text) -> values.put(field, text.get()));
        return new BatchingForm(values, padVariableLengthInputs.get(), enableLargeBatchSplitting.get(),
                adaptiveBatchTimeout.get(), threadPoolName.get());
    }

    private void fill(BatchingOptions options) {
        BatchingForm form = BatchingForm.of(options);
        filling = true;
        try {
            texts.forEach((field, text) -> text.set(form.text(field)));
            padVariableLengthInputs.set(form.padVariableLengthInputs());
            enableLargeBatchSplitting.set(form.enableLargeBatchSplitting());
            adaptiveBatchTimeout.set(form.adaptiveBatchTimeout());
            threadPoolName.set(form.threadPoolName());
        } finally {
            filling = false;
        }
        formChanged();
    }

    private Optional<BatchingOptions> checkedOptions() {
        BatchingForm.Validation validation = showValidation();
        return validation instanceof BatchingForm.Valid ok ? Optional.of(ok.options()) : Optional.empty();
    }

    private void formChanged() {
        if (!filling) {
            showValidation();
        }
    }

    private BatchingForm.Validation showValidation() {
        BatchingForm.Validation validation = form().validate();
        Map<BatchingField, String> fieldErrors = validation instanceof BatchingForm.Invalid invalid
                ? invalid.fieldErrors() : Map.of();
        errors.forEach((field, error) -> error.set(fieldErrors.getOrDefault(field, "")));
        // The operator changed the form since the server refused it: the refusal no longer describes it.
        operation.dismissFailure();
        validationError.set(validation instanceof BatchingForm.Invalid invalid ? invalid.formError() : "");
        valid.set(validation instanceof BatchingForm.Valid);
        dirty.set(!(validation instanceof BatchingForm.Valid ok && ok.options().equals(inForce.get())));
        return validation;
    }

    public StringProperty textProperty(BatchingField field) {
        return texts.get(field);
    }

    public ReadOnlyStringProperty errorProperty(BatchingField field) {
        return errors.get(field).getReadOnlyProperty();
    }

    public BooleanProperty padVariableLengthInputsProperty() {
        return padVariableLengthInputs;
    }

    public BooleanProperty enableLargeBatchSplittingProperty() {
        return enableLargeBatchSplitting;
    }

    /** ServeDeck's adaptive batch timeout: on, a partial batch runs as soon as no other request can join it. */
    public BooleanProperty adaptiveBatchTimeoutProperty() {
        return adaptiveBatchTimeout;
    }

    public ReadOnlyStringProperty threadPoolNameProperty() {
        return threadPoolName.getReadOnlyProperty();
    }

    /** The parameters the server uses now. */
    public ReadOnlyObjectProperty<BatchingOptions> inForceProperty() {
        return inForce.getReadOnlyProperty();
    }

    /** False while the server does not batch: the form is shown read-only. */
    /** Why the form only shows when the backend gives a reason of its own; empty otherwise. */
    public ReadOnlyStringProperty readOnlyReasonProperty() {
        return readOnlyReason.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty editableProperty() {
        return editable.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    /** The form differs from the values in force. */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty formErrorProperty() {
        return formError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return operation.noticeProperty();
    }

    public ReadOnlyStringProperty meanBatchSizeProperty() {
        return meanBatchSize.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty batchesPerSecondProperty() {
        return batchesPerSecond.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty queuedTasksProperty() {
        return queuedTasks.getReadOnlyProperty();
    }

    public BooleanBinding canApplyProperty() {
        return canApply;
    }

    public BooleanBinding canRevertProperty() {
        return canRevert;
    }

    public BooleanBinding canLoadProperty() {
        return canLoad;
    }
}
