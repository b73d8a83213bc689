package dev.servedeck.console.models;

import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.core.admin.LabelName;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.PolicyText;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.WarmupTarget;
import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.kit.FxCoalescer;
import dev.servedeck.console.kit.OperationState;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Models page: the models of the config in force and their versions with live states, and the
 * operator's actions on them (add, remove, load and unload a version, version policy, labels, open and
 * save a model config file). Inputs are checked here with a message next to the field; what the server
 * refuses shows the server's message. One operation runs at a time, with a busy flag the view shows.
 *
 * <p>Call on the FX thread. The backend's change notifications arrive on server threads and are folded
 * into at most one pending refresh, so a burst of state changes costs one redraw.
 */
public final class ModelsViewModel implements AutoCloseable {

    /** What the Delete key does with the selected row. */
    public enum DeleteAction { NONE, UNLOAD_VERSION, REMOVE_MODEL }

    private static final String MODEL_NAME = "[^/:\\s]+";
    private static final String NOTHING_SELECTED = "Select a model or a version in the table";

    private final ConsoleBackend backend;
    private final Executor ui;
    private final ModelRows rows;
    private final Subscription subscription;
    /** Model changes arrive on server threads, in bursts: one pending refresh at a time. */
    private final FxCoalescer refreshSoon;
    /** One operation at a time: busy with what it does, then a notice, or the server's message. */
    private final OperationState operation;
    private final SelectedSignatures signatures;

    private final ObservableList<ModelRow> models = FXCollections.observableArrayList();
    private final ObservableList<ModelRow> readOnlyModels = FXCollections.unmodifiableObservableList(models);
    /** The entries behind the rows, by name: policies and labels as values, not words. */
    private Map<String, ModelEntry> entries = Map.of();
    /** The server's policy the policy fields were last filled from (they follow it when it changes). */
    private ServableVersionPolicy policyShown;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper configText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper basePathNote = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canBrowseBasePath = new ReadOnlyBooleanWrapper(true);
    /** Why models cannot be changed now but by opening a config file (empty: they can), from the capabilities. */
    private final ReadOnlyStringWrapper modelChangesNote = new ReadOnlyStringWrapper("");

    private final ReadOnlyStringWrapper selectedModel = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<OptionalLong> selectedVersion = new ReadOnlyObjectWrapper<>(OptionalLong.empty());
    private final ReadOnlyStringWrapper selectionText = new ReadOnlyStringWrapper(NOTHING_SELECTED);
    private final ObservableList<String> versionChoices = FXCollections.observableArrayList();
    private final ObservableList<String> labelChoices = FXCollections.observableArrayList();

    private final StringProperty version = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper versionError = new ReadOnlyStringWrapper("");
    private final ObjectProperty<PolicyKind> policyKind = new SimpleObjectProperty<>(PolicyKind.LATEST);
    private final StringProperty policyValue = new SimpleStringProperty("1");
    private final ReadOnlyStringWrapper policyError = new ReadOnlyStringWrapper("");
    private final StringProperty labelName = new SimpleStringProperty("");
    private final StringProperty labelVersion = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper labelError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper warmupError = new ReadOnlyStringWrapper("");

    private final StringProperty addName = new SimpleStringProperty("");
    private final StringProperty addBasePath = new SimpleStringProperty("");
    private final ObjectProperty<PolicyKind> addPolicyKind = new SimpleObjectProperty<>(PolicyKind.LATEST);
    private final StringProperty addPolicyValue = new SimpleStringProperty("1");
    private final ReadOnlyStringWrapper addError = new ReadOnlyStringWrapper("");

    private final BooleanBinding canAct;
    private final BooleanBinding canActOnModel;
    private final BooleanBinding canChangeModels;
    private final BooleanBinding canChangeModel;
    private final BooleanBinding policyTakesValue = takesValue(policyKind);
    private final BooleanBinding addPolicyTakesValue = takesValue(addPolicyKind);

    public ModelsViewModel(ConsoleBackend backend, Executor ui) {
        this(backend, ui, ZoneId.systemDefault());
    }

    /** @param zone the time zone "since" times are shown in */
    public ModelsViewModel(ConsoleBackend backend, Executor ui, ZoneId zone) {
        this.backend = backend;
        this.ui = ui;
        this.rows = new ModelRows(zone);
        this.operation = new OperationState(ui);
        this.refreshSoon = new FxCoalescer(ui, this::refresh);
        this.signatures = new SelectedSignatures(backend, ui);
        canAct = running.and(operation.busyProperty().not());
        canActOnModel = canAct.and(selectedModel.isNotNull());
        canChangeModels = canAct.and(modelChangesNote.isEmpty());
        canChangeModel = canActOnModel.and(modelChangesNote.isEmpty());
        // The name follows the folder until the operator types a name of their own.
        addBasePath.addListener((obs, old, now) -> {
            String name = addName.get();
            if (name == null || name.isBlank() || name.equals(folderName(old))) {
                addName.set(folderName(now));
            }
        });
        subscription = backend.onModelsChanged(this::requestRefresh);
        refresh();
    }

    /**
     * Said above the add form when the server does not share the console's files (a remote server): a base path is
     * a folder on the server's machine. Empty for the embedded server.
     */
    public ReadOnlyStringProperty basePathNoteProperty() {
        return basePathNote.getReadOnlyProperty();
    }

    /** Why the warmup buttons are off (a server that does not share the console's files); empty when they work. */
    public String warmupNote() {
        return backend.capabilities().sharesFileSystem() ? "" : BackendCapabilities.NO_WARMUP_WITHOUT_SHARED_FILES;
    }

    /** Why the page cannot change models now, but for opening a model config file; empty when it can. */
    public ReadOnlyStringProperty modelChangesNoteProperty() {
        return modelChangesNote.getReadOnlyProperty();
    }

    /** As {@link #canActProperty()}, where the backend can change models now (add, save the config). */
    public BooleanBinding canChangeModelsProperty() {
        return canChangeModels;
    }

    /** As {@link #canActOnModelProperty()}, where the backend can change models now. */
    public BooleanBinding canChangeModelProperty() {
        return canChangeModel;
    }

    /** Whether Browse can pick a base path (only where the server reads the console's files). */
    public ReadOnlyBooleanProperty canBrowseBasePathProperty() {
        return canBrowseBasePath.getReadOnlyProperty();
    }

    /** Re-read with every refresh: the console may switch to a server that shares its files, or one that does not. */
    private void showCapabilities() {
        BackendCapabilities capabilities = backend.capabilities();
        canBrowseBasePath.set(capabilities.sharesFileSystem());
        modelChangesNote.set(capabilities.modelChangesOff().orElse(""));
        basePathNote.set(capabilities.sharesFileSystem() ? ""
                : "Base paths are folders on " + capabilities.serverName()
                        + "'s machine, not on this one: type the path as that server sees it.");
    }

    // ---- reading the server ----

    /** Asks for a refresh on the FX thread unless one is already on its way (any thread). */
    void requestRefresh() {
        refreshSoon.run();
    }

    /** Reads the models and the config in force into the rows. */
    public void refresh() {
        showCapabilities();
        running.set(backend.status().running());
        List<ModelEntry> snapshot = running.get() ? backend.models() : List.of();
        entries = snapshot.stream().collect(Collectors.toMap(ModelEntry::name, entry -> entry));
        List<ModelRow> now = rows.of(snapshot);
        if (!now.equals(models)) {
            models.setAll(now);
        }
        configText.set(running.get() ? configTextOrEmpty() : "");
        Optional<ModelRow> selected = findModel(selectedModel.get());
        if (selectedModel.get() != null && selected.isEmpty()) {
            select(null, OptionalLong.empty());
        } else {
            if (selected.isPresent() && !entries.get(selectedModel.get()).policy().equals(policyShown)) {
                showPolicy(entries.get(selectedModel.get()).policy());
            }
            updateChoices(selected);
            signatures.show(selected.map(row -> entries.get(row.model())).orElse(null), selectedVersion.get());
        }
    }

    private String configTextOrEmpty() {
        try {
            return backend.modelConfigText();
        } catch (RuntimeException e) {
            return ""; // stopped between the two reads
        }
    }

    private Optional<ModelRow> findModel(String name) {
        return name == null ? Optional.empty() : models.stream().filter(row -> row.model().equals(name)).findFirst();
    }

    // ---- selection ----

    /** The operator selected a model ({@code version} empty) or one of its versions; null model for none. */
    public void select(String model, OptionalLong version) {
        Objects.requireNonNull(version, "version");
        boolean otherModel = !Objects.equals(model, selectedModel.get());
        selectedModel.set(model);
        selectedVersion.set(model == null ? OptionalLong.empty() : version);
        Optional<ModelRow> row = findModel(model);
        if (otherModel && entries.containsKey(model)) {
            showPolicy(entries.get(model).policy());
        }
        if (version.isPresent()) {
            this.version.set(Long.toString(version.getAsLong()));
            labelVersion.set(Long.toString(version.getAsLong()));
            versionError.set("");
            labelError.set("");
            warmupError.set("");
        }
        selectionText.set(model == null ? NOTHING_SELECTED
                : version.isPresent() ? model + ", version " + version.getAsLong() : model);
        updateChoices(row);
        signatures.show(model == null ? null : entries.get(model), selectedVersion.get());
    }

    private void showPolicy(ServableVersionPolicy policy) {
        policyShown = policy;
        policyKind.set(PolicyInput.kindOf(policy));
        policyValue.set(PolicyInput.valueOf(policy));
        policyError.set("");
    }

    private void updateChoices(Optional<ModelRow> row) {
        List<String> versions = row.map(r -> r.versions().stream()
                .map(v -> Long.toString(v.version().getAsLong())).toList()).orElse(List.of());
        if (!versions.equals(versionChoices)) {
            versionChoices.setAll(versions);
        }
        List<String> labels = row.map(r -> entries.get(r.model())).map(entry -> List.copyOf(entry.labels().keySet()))
                .orElse(List.of());
        if (!labels.equals(labelChoices)) {
            labelChoices.setAll(labels);
        }
    }

    /** What Delete does now: unload a serving version, remove a model, or nothing. */
    public DeleteAction deleteAction() {
        Optional<ModelRow> model = findModel(selectedModel.get());
        if (model.isEmpty() || !canAct.get()) {
            return DeleteAction.NONE;
        }
        OptionalLong chosen = selectedVersion.get();
        if (chosen.isEmpty()) {
            return DeleteAction.REMOVE_MODEL;
        }
        return model.get().versions().stream()
                .filter(v -> v.version().equals(chosen))
                .anyMatch(v -> v.tone() == ManagerState.AVAILABLE || v.tone() == ManagerState.LOADING
                        || v.tone() == ManagerState.START)
                ? DeleteAction.UNLOAD_VERSION : DeleteAction.NONE;
    }

    /** The question the view asks before removing the selected model. */
    public String removeConfirmation() {
        return findModel(selectedModel.get()).map(row -> "Stop serving " + row.model()
                + " and remove it from the model config? Its versions unload; the files under " + row.basePath()
                + " stay on disk.").orElse("");
    }

    // ---- actions ----

    /** Serves the version in the version field in addition to those served now. */
    public CompletableFuture<Void> loadVersion() {
        String model = selectedModel.get();
        Optional<Long> number = checkVersion(model);
        if (number.isEmpty()) {
            return done();
        }
        long v = number.get();
        return run("Loading " + model + " version " + v, "Version " + v + " of " + model + " is loaded",
                "load version " + v + " of " + model, () -> backend.loadVersion(model, v));
    }

    /** Stops serving the version in the version field, keeping the others. */
    public CompletableFuture<Void> unloadVersion() {
        String model = selectedModel.get();
        Optional<Long> number = checkVersion(model);
        if (number.isEmpty()) {
            return done();
        }
        long v = number.get();
        return run("Unloading " + model + " version " + v, "Version " + v + " of " + model + " is unloading",
                "unload version " + v + " of " + model, () -> backend.unloadVersion(model, v));
    }

    /** The Delete key on a version row: unloads the selected version (whatever the version field holds). */
    public CompletableFuture<Void> unloadSelectedVersion() {
        String model = selectedModel.get();
        OptionalLong chosen = selectedVersion.get();
        if (model == null || chosen.isEmpty()) {
            return done();
        }
        version.set(Long.toString(chosen.getAsLong()));
        return unloadVersion();
    }

    private Optional<Long> checkVersion(String model) {
        if (model == null) {
            versionError.set("Select a model first");
            return Optional.empty();
        }
        PolicyInput.Parsed<Long> parsed = PolicyInput.version(version.get());
        versionError.set(parsed.error());
        return parsed.value();
    }

    /** Applies the policy in the policy fields to the selected model. */
    public CompletableFuture<Void> applyPolicy() {
        String model = selectedModel.get();
        if (model == null) {
            policyError.set("Select a model first");
            return done();
        }
        PolicyInput.Parsed<ServableVersionPolicy> parsed = PolicyInput.policy(policyKind.get(), policyValue.get());
        policyError.set(parsed.error());
        if (!parsed.ok()) {
            return done();
        }
        ServableVersionPolicy policy = parsed.value().get();
        String words = PolicyText.of(policy);
        return run("Setting the policy of " + model + " to " + words, "The policy of " + model + " is " + words,
                "set the policy of " + model, () -> backend.setVersionPolicy(model, policy));
    }

    /** Points the label in the label fields at its version (sets a new label or moves one). */
    public CompletableFuture<Void> setLabel() {
        String model = selectedModel.get();
        Optional<String> label = checkLabelName(model);
        if (label.isEmpty()) {
            return done();
        }
        PolicyInput.Parsed<Long> parsed = PolicyInput.version(labelVersion.get());
        if (!parsed.ok()) {
            labelError.set(parsed.error());
            return done();
        }
        long target = parsed.value().get();
        // Which versions a label may point at is the server's rule (core.admin.VersionLabelRule, which also knows
        // --allow_version_labels_for_unavailable_models): a refusal comes back in its words.
        labelError.set("");
        String name = label.get();
        return run("Pointing label " + name + " of " + model + " at version " + target,
                "Label " + name + " of " + model + " points at version " + target,
                "set label " + name + " of " + model, () -> backend.setLabel(model, name, target));
    }

    /** Removes the label named in the label field. */
    public CompletableFuture<Void> removeLabel() {
        String model = selectedModel.get();
        Optional<String> label = checkLabelName(model);
        if (label.isEmpty()) {
            return done();
        }
        String name = label.get();
        if (!labelChoices.contains(name)) {
            labelError.set(model + " has no label '" + name + "'");
            return done();
        }
        labelError.set("");
        return run("Removing label " + name + " of " + model, "Label " + name + " of " + model + " is removed",
                "remove label " + name + " of " + model, () -> backend.removeLabel(model, name));
    }

    private Optional<String> checkLabelName(String model) {
        if (model == null) {
            labelError.set("Select a model first");
            return Optional.empty();
        }
        String name = labelName.get() == null ? "" : labelName.get().trim();
        if (name.isEmpty()) {
            labelError.set("Enter a label name, e.g. stable or canary");
            return Optional.empty();
        }
        if (!LabelName.isValid(name)) {
            labelError.set(LabelName.RULE + ", not '" + name + "'");
            return Optional.empty();
        }
        labelError.set("");
        return Optional.of(name);
    }

    // ---- warmup ----

    /**
     * Saves the selected model's recent requests as the warmup file of the version in the version field, which
     * the server replays when that version next loads. A file already there is replaced only if
     * {@code confirmOverwrite} (asked on the FX thread) answers yes to the question it is given.
     */
    public CompletableFuture<Void> saveWarmupToVersion(Predicate<String> confirmOverwrite) {
        String model = selectedModel.get();
        if (model == null) {
            warmupError.set("Select a model first");
            return done();
        }
        PolicyInput.Parsed<Long> parsed = PolicyInput.version(version.get());
        warmupError.set(parsed.error());
        if (!parsed.ok()) {
            return done();
        }
        long v = parsed.value().get();
        return runReporting("Saving recent requests of " + model + " for version " + v,
                "save the warmup file of " + model + " version " + v, () -> backend.warmupTarget(model, v)
                        .thenComposeAsync(target -> {
                            if (target.exists() && !confirmOverwrite.test(overwriteQuestion(model, v, target))) {
                                return CompletableFuture.completedFuture("Not saved: version " + v + " of " + model
                                        + " keeps its warmup file");
                            }
                            return backend.saveRecentRequestsAsWarmup(model, target.file()).thenApply(count ->
                                    saved(count, model, target.file()) + "; version " + v
                                            + " replays them when it next loads");
                        }, ui), () -> { });
    }

    /** Saves the selected model's recent requests as a warmup file where the operator chose. */
    public CompletableFuture<Void> saveWarmupToFile(Path file) {
        String model = selectedModel.get();
        if (model == null) {
            warmupError.set("Select a model first");
            return done();
        }
        warmupError.set("");
        return runReporting("Saving recent requests of " + model, "save the recent requests of " + model,
                () -> backend.saveRecentRequestsAsWarmup(model, file).thenApply(count -> saved(count, model, file)),
                () -> { });
    }

    private static String overwriteQuestion(String model, long version, WarmupTarget target) {
        return "Version " + version + " of " + model + " already has a warmup file:\n" + target.file()
                + "\nReplace it with the recent requests of " + model + "?";
    }

    private static String saved(int count, String model, Path file) {
        return "Saved " + count + " recent request" + (count == 1 ? "" : "s") + " of " + model + " to " + file;
    }

    /** The operator chose a base path folder (the name follows it unless they typed their own). */
    public void basePathChosen(Path folder) {
        addBasePath.set(folder.toAbsolutePath().toString());
    }

    /** Adds the model described by the add fields. */
    public CompletableFuture<Void> addModel() {
        List<String> problems = new ArrayList<>();
        String name = addName.get() == null ? "" : addName.get().trim();
        if (name.isEmpty()) {
            problems.add("A model needs a name (clients use it in /v1/models/<name>)");
        } else if (!name.matches(MODEL_NAME)) {
            problems.add("A model name may not hold '/', ':' or spaces (it is part of REST paths): '" + name + "'");
        } else if (findModel(name).isPresent()) {
            problems.add("A model named '" + name + "' is already served; choose another name");
        }
        String pathText = addBasePath.get() == null ? "" : addBasePath.get().trim();
        Path basePath = null;
        if (pathText.isEmpty()) {
            problems.add("Choose the base path: the folder that holds the numbered version folders");
        } else {
            try {
                basePath = Path.of(pathText);
            } catch (InvalidPathException e) {
                problems.add("'" + pathText + "' is not a valid path: " + e.getReason());
            }
        }
        PolicyInput.Parsed<ServableVersionPolicy> policy = PolicyInput.policy(addPolicyKind.get(), addPolicyValue.get());
        if (!policy.ok()) {
            problems.add(policy.error());
        }
        addError.set(String.join("\n", problems));
        if (!problems.isEmpty()) {
            return done();
        }
        Path folder = basePath;
        return run("Adding " + name, "Added " + name + " (" + PolicyText.of(policy.value().get()) + ")",
                "add " + name, () -> backend.addModel(name, folder, policy.value().get()), () -> {
                    addBasePath.set("");
                    addName.set("");
                });
    }

    /** Removes the selected model (the view has asked the operator first). */
    public CompletableFuture<Void> removeModel() {
        String model = selectedModel.get();
        if (model == null) {
            return done();
        }
        return run("Removing " + model, "Removed " + model, "remove " + model, () -> backend.removeModel(model));
    }

    /** Replaces the models with those of a TF Serving model config file. */
    public CompletableFuture<Void> openConfig(Path file) {
        return run("Opening " + file.getFileName(), "Serving the models of " + file, "open " + file,
                () -> backend.openModelConfig(file));
    }

    /** Writes the models in force as a TF Serving model config file. */
    public CompletableFuture<Void> saveConfig(Path file) {
        return run("Saving the model config", "Saved the model config to " + file, "save the model config to " + file,
                () -> backend.saveModelConfig(file));
    }

    /**
     * Runs one operation: busy while it runs, then a notice, or the server's message for what failed.
     *
     * @param doing shown while it runs
     * @param done shown when it succeeded
     * @param what completes "Could not ..." when it failed
     */
    private CompletableFuture<Void> run(String doing, String done, String what,
            Supplier<CompletableFuture<Void>> operation) {
        return run(doing, done, what, operation, () -> { });
    }

    private CompletableFuture<Void> run(String doing, String done, String what,
            Supplier<CompletableFuture<Void>> operation, Runnable onSuccess) {
        return runReporting(doing, what, () -> operation.get().thenApply(ignored -> done), onSuccess);
    }

    /** As {@link #run}, the operation's own result being the notice shown when it succeeded. */
    private CompletableFuture<Void> runReporting(String doing, String what,
            Supplier<CompletableFuture<String>> operation, Runnable onSuccess) {
        // The rows show what the operation changed, whatever its outcome.
        return this.operation.run(doing, operation, outcome -> {
            onSuccess.run();
            return outcome;
        }, "Could not " + what + ": ").thenRun(this::refresh);
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private static String folderName(String path) {
        if (path == null || path.isBlank()) {
            return "";
        }
        try {
            Path fileName = Path.of(path.trim()).getFileName();
            return fileName == null ? "" : fileName.toString();
        } catch (InvalidPathException e) {
            return "";
        }
    }

    @Override
    public void close() {
        subscription.close();
    }

    // ---- properties ----

    /** Model rows (each with its version rows), sorted by name. */
    public ObservableList<ModelRow> models() {
        return readOnlyModels;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return operation.busyProperty();
    }

    public ReadOnlyStringProperty busyTextProperty() {
        return operation.busyTextProperty();
    }

    public ReadOnlyStringProperty failureProperty() {
        return operation.failureProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return operation.noticeProperty();
    }

    public ReadOnlyStringProperty configTextProperty() {
        return configText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty selectedModelProperty() {
        return selectedModel.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<OptionalLong> selectedVersionProperty() {
        return selectedVersion.getReadOnlyProperty();
    }

    /** The selected version's signatures (the model's latest AVAILABLE one), or why there are none to show. */
    public ReadOnlyStringProperty signaturesTextProperty() {
        return signatures.textProperty();
    }

    public ReadOnlyStringProperty selectionTextProperty() {
        return selectionText.getReadOnlyProperty();
    }

    /** Versions the server knows of for the selected model (the version field's choices). */
    public ObservableList<String> versionChoices() {
        return versionChoices;
    }

    /** Labels of the selected model (the label field's choices). */
    public ObservableList<String> labelChoices() {
        return labelChoices;
    }

    public StringProperty versionProperty() {
        return version;
    }

    public ReadOnlyStringProperty versionErrorProperty() {
        return versionError.getReadOnlyProperty();
    }

    public ObjectProperty<PolicyKind> policyKindProperty() {
        return policyKind;
    }

    public StringProperty policyValueProperty() {
        return policyValue;
    }

    public ReadOnlyStringProperty policyErrorProperty() {
        return policyError.getReadOnlyProperty();
    }

    public StringProperty labelNameProperty() {
        return labelName;
    }

    public StringProperty labelVersionProperty() {
        return labelVersion;
    }

    public ReadOnlyStringProperty labelErrorProperty() {
        return labelError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty warmupErrorProperty() {
        return warmupError.getReadOnlyProperty();
    }

    public StringProperty addNameProperty() {
        return addName;
    }

    public StringProperty addBasePathProperty() {
        return addBasePath;
    }

    public ObjectProperty<PolicyKind> addPolicyKindProperty() {
        return addPolicyKind;
    }

    public StringProperty addPolicyValueProperty() {
        return addPolicyValue;
    }

    public ReadOnlyStringProperty addErrorProperty() {
        return addError.getReadOnlyProperty();
    }

    /** The server runs and no operation is running. */
    public BooleanBinding canActProperty() {
        return canAct;
    }

    /** As {@link #canActProperty()}, with a model selected. */
    public BooleanBinding canActOnModelProperty() {
        return canActOnModel;
    }

    /** Whether the policy field's value means anything (not for "all"). */
    public BooleanBinding policyTakesValueProperty() {
        return policyTakesValue;
    }

    /** As {@link #policyTakesValueProperty()} for the add fields. */
    public BooleanBinding addPolicyTakesValueProperty() {
        return addPolicyTakesValue;
    }

    private static BooleanBinding takesValue(ObjectProperty<PolicyKind> kind) {
        return Bindings.createBooleanBinding(() -> kind.get() != null && kind.get().takesValue(), kind);
    }
}
