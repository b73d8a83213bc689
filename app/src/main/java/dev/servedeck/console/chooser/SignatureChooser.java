package dev.servedeck.console.chooser;

import dev.servedeck.console.kit.FxCoalescer;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.kit.LatestAnswer;
import dev.servedeck.core.signature.DefaultSignature;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.core.servable.ManagerState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The model → version → signature chooser that the Predict page and the Monitor's load generator share: the
 * server's models (kept up to date as models come and go), the chosen model's versions and labels, and the
 * signatures of the chosen version, read from the server whenever the choice changes. A late answer for an
 * earlier choice is dropped ({@link LatestAnswer}); a model without an AVAILABLE version says so instead of
 * asking.
 *
 * <p>Its owner says which signature to pick from a fresh list ({@link #preferSignature}) and hears of each list
 * read ({@link #onSignaturesRead}) and of each read's end ({@link #afterRead}). Call on the FX thread.
 */
public final class SignatureChooser implements AutoCloseable {

    /** The signatures read for a model and version (the Predict page keeps their output names). */
    @FunctionalInterface
    public interface SignaturesRead {
        void read(String model, VersionOption version, List<SignatureInfo> signatures);
    }

    private final ConsoleBackend backend;
    private final Executor ui;
    private Subscription modelsSubscription = () -> { };
    private final LatestAnswer<List<SignatureInfo>> signatureRead;

    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final ObjectProperty<String> model = new SimpleObjectProperty<>();
    private final ObservableList<VersionOption> versions = FXCollections.observableArrayList(VersionOption.LATEST);
    private final ObjectProperty<VersionOption> version = new SimpleObjectProperty<>(VersionOption.LATEST);
    private final ObservableList<SignatureInfo> signatures = FXCollections.observableArrayList();
    private final ObjectProperty<SignatureInfo> signature = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    private Function<List<SignatureInfo>, SignatureInfo> preference = list -> DefaultSignature.of(list).orElse(null);
    private SignaturesRead onSignaturesRead = (name, chosen, list) -> { };
    private Runnable afterRead = () -> { };
    /** The model chosen first when the operator has chosen none and it is served (e.g. the cheapest demo model). */
    private String preferredModel;

    /** The chosen model as last seen, to notice when its versions change. */
    private ModelEntry selectedEntry;
    /** Set while {@link #choose} sets model and version, so that they cause one signature read, not two. */
    private boolean choosing;
    /** Set while the version list is replaced: a combo box clears its value meanwhile, which is no choice. */
    private boolean replacingVersions;

    public SignatureChooser(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
        this.signatureRead = new LatestAnswer<>(ui);
        model.addListener((obs, old, now) -> modelChosen(now));
        version.addListener((obs, old, now) -> {
            if (replacingVersions || choosing) {
                return;
            }
            if (now == null) {
                version.set(VersionOption.LATEST);
            } else if (!now.equals(old)) {
                loadSignatures();
            }
        });
    }

    /**
     * Follows the server's models from now on, the first read queued on the FX thread. Called by the owner once it
     * has had its say, so that the first choice already goes through its preferences and listeners.
     */
    public SignatureChooser start() {
        modelsSubscription = backend.onModelsChanged(new FxCoalescer(ui, this::refreshModels));
        ui.execute(this::refreshModels);
        return this;
    }

    // ---- the owner's say ----

    /** Which signature to choose from a fresh list (default: {@link DefaultSignature}); may return null. */
    public SignatureChooser preferSignature(Function<List<SignatureInfo>, SignatureInfo> preference) {
        this.preference = Objects.requireNonNull(preference);
        return this;
    }

    public SignatureChooser onSignaturesRead(SignaturesRead listener) {
        this.onSignaturesRead = Objects.requireNonNull(listener);
        return this;
    }

    /** Runs when a read ends (answer or failure), or when there was nothing to read. */
    public SignatureChooser afterRead(Runnable listener) {
        this.afterRead = Objects.requireNonNull(listener);
        return this;
    }

    /** The model chosen while the operator has chosen none, if served. */
    public SignatureChooser preferModel(String name) {
        this.preferredModel = name;
        if (model.get() == null && name != null && models.contains(name)) {
            model.set(name);
        }
        return this;
    }

    // ---- reading the server ----

    /** Reads the models from the backend, keeps the choice when the model is still there, else picks one. */
    public void refreshModels() {
        Map<String, ModelEntry> entries = backend.models().stream()
                .collect(Collectors.toMap(ModelEntry::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<String> names = List.copyOf(entries.keySet());
        String chosen = model.get();
        if (!names.equals(models)) {
            models.setAll(names);
            if (chosen != null && names.contains(chosen) && !chosen.equals(model.get())) {
                model.set(chosen); // a combo box may have dropped its value when its items were replaced
            }
        }
        if (model.get() == null || !entries.containsKey(model.get())) {
            model.set(names.isEmpty() ? null : preferredModel != null && names.contains(preferredModel) ? preferredModel : names.get(0));
            return;
        }
        ModelEntry entry = entries.get(model.get());
        boolean changed = !entry.equals(selectedEntry);
        if (changed) {
            selectedEntry = entry;
            List<VersionOption> options = VersionOption.of(entry);
            if (!options.equals(versions)) {
                replaceVersions(options, version.get());
            }
        }
        // A version may have become available, or the server reachable again (a remote backend fails fast while
        // it connects, and its models may be read before it says it is linked), since the last read failed:
        // try again.
        if ((changed || !error.get().isEmpty()) && signatures.isEmpty() && !signatureRead.isLoading()) {
            loadSignatures();
        }
    }

    private void modelChosen(String name) {
        selectedEntry = name == null ? null : backend.models().stream()
                .filter(entry -> entry.name().equals(name)).findFirst().orElse(null);
        replaceVersions(selectedEntry == null ? List.of(VersionOption.LATEST) : VersionOption.of(selectedEntry),
                VersionOption.LATEST);
        if (!choosing) {
            loadSignatures();
        }
    }

    /** Replaces the version list and sets the choice, without reading signatures on the way. */
    private void replaceVersions(List<VersionOption> options, VersionOption choice) {
        replacingVersions = true;
        try {
            versions.setAll(options);
            version.set(choice == null ? VersionOption.LATEST : choice);
        } finally {
            replacingVersions = false;
        }
    }

    /** Chooses a model and a version together (a history entry restored) and reads their signatures once. */
    public void choose(String modelName, VersionOption versionOption) {
        choosing = true;
        try {
            model.set(modelName);
            version.set(versionOption);
        } finally {
            choosing = false;
        }
        loadSignatures();
    }

    /** Reads the signatures of the chosen model and version (in the background). */
    public void loadSignatures() {
        String name = model.get();
        VersionOption chosen = chosenVersion();
        signature.set(null);
        signatures.clear();
        error.set("");
        if (name == null) {
            signatureRead.cancel();
            afterRead.run();
            return;
        }
        if (chosen.choice() instanceof VersionChoice.Latest && selectedEntry != null
                && !hasAvailableVersion(selectedEntry)) {
            signatureRead.cancel();
            error.set("No version of " + name + " is AVAILABLE yet: its signatures appear when one is.");
            afterRead.run();
            return;
        }
        signatureRead.ask(() -> backend.signatures(name, chosen.choice()), list -> {
            onSignaturesRead.read(name, chosen, list);
            signatures.setAll(list);
            signature.set(preference.apply(list));
            afterRead.run();
        }, failure -> {
            error.set("Cannot read the signatures of " + name + " (" + chosen.text() + "): "
                    + Failures.message(failure));
            afterRead.run();
        });
    }

    private static boolean hasAvailableVersion(ModelEntry entry) {
        return entry.versions().stream().anyMatch(v -> v.state() == ManagerState.AVAILABLE);
    }

    /** The version chosen (latest until one is). */
    public VersionOption chosenVersion() {
        return version.get() == null ? VersionOption.LATEST : version.get();
    }

    /** {@code /v1/models/<model>[/versions/N | /labels/L]:<verb>} for the choice; empty without a model. */
    public String restPath(RestVerb verb) {
        return model.get() == null ? "" : restPath(model.get(), chosenVersion(), verb);
    }

    /** {@code /v1/models/<model>[/versions/N | /labels/L]:<verb>}, with names escaped for a URL path. */
    public static String restPath(String modelName, VersionOption versionOption, RestVerb verb) {
        VersionChoice choice = versionOption == null ? VersionChoice.LATEST : versionOption.choice();
        String versionPath = choice instanceof VersionChoice.Label label
                ? "/labels/" + pathSegment(label.label()) : choice.restPath();
        return "/v1/models/" + pathSegment(modelName) + versionPath + ":" + verb.verb();
    }

    /**
     * The chosen version as the Open Inference Protocol can name it: a label becomes the version it points at now in
     * the server's model list ({@link VersionChoice#withoutLabel}).
     *
     * @throws IllegalArgumentException for a label that points at no version
     */
    public VersionChoice inferVersion() {
        return inferVersion(model.get(), chosenVersion());
    }

    /** As {@link #inferVersion()} for any model and version option (a history entry's). */
    public VersionChoice inferVersion(String modelName, VersionOption option) {
        VersionOption chosen = option == null ? VersionOption.LATEST : option;
        Map<String, Long> labels = backend.models().stream().filter(entry -> entry.name().equals(modelName))
                .findFirst().<Map<String, Long>>map(ModelEntry::labels).orElse(Map.of());
        return chosen.choice().withoutLabel(modelName, labels);
    }

    /** {@code /v2/models/<model>[/versions/N]/infer} for a version without a label, names escaped for a URL path. */
    public static String inferPath(String modelName, VersionChoice resolved) {
        return "/v2/models/" + pathSegment(modelName) + resolved.inferPath() + "/infer";
    }

    private static String pathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        modelsSubscription.close();
    }

    // ---- properties ----

    public ObservableList<String> models() {
        return models;
    }

    public ObjectProperty<String> modelProperty() {
        return model;
    }

    public ObservableList<VersionOption> versions() {
        return versions;
    }

    public ObjectProperty<VersionOption> versionProperty() {
        return version;
    }

    public ObservableList<SignatureInfo> signatures() {
        return signatures;
    }

    public ObjectProperty<SignatureInfo> signatureProperty() {
        return signature;
    }

    /** True while the chosen version's signatures are being read. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return signatureRead.loadingProperty();
    }

    /** Why there are no signatures to choose from ("" when there are, or while reading). */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }
}
