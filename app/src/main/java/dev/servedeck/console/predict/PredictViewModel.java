package dev.servedeck.console.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.core.signature.DefaultSignature;
import dev.servedeck.core.signature.RequestTemplate;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.console.signatures.SignatureText;
import dev.servedeck.core.servable.ManagerState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
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
 * The Predict page: choose a model, a version or label, a signature and the verb to call it with; edit a
 * request pre-filled from the signature's inputs ({@link RequestTemplate}); send it over the server's real REST API and show status, latency, the answer
 * (laid-out JSON and a table of its tensors) and TF Serving's error text; keep a history; copy a request as
 * a curl command.
 *
 * <p>Call every method on the FX thread. Backend answers come back through {@code ui}; answers to a
 * question no longer asked (the operator chose another model meanwhile) are dropped.
 */
public final class PredictViewModel implements AutoCloseable {

    /** The history keeps this many requests, newest first. */
    public static final int HISTORY_LIMIT = 50;
    /** Larger answers are cut in the JSON view (a TextArea slows down with megabytes of text). */
    static final int MAX_SHOWN_CHARS = 2_000_000;

    /** How an exchange ended, for colouring the status. */
    public enum Outcome { NONE, OK, ERROR }

    private final ConsoleBackend backend;
    private final Executor ui;
    private final Clock clock;
    private final Subscription modelsSubscription;

    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final ObjectProperty<String> model = new SimpleObjectProperty<>();
    private final ObservableList<VersionOption> versions = FXCollections.observableArrayList(VersionOption.LATEST);
    private final ObjectProperty<VersionOption> version = new SimpleObjectProperty<>(VersionOption.LATEST);
    private final ObservableList<SignatureInfo> signatures = FXCollections.observableArrayList();
    private final ObjectProperty<SignatureInfo> signature = new SimpleObjectProperty<>();
    private final ObservableList<RestVerb> verbs = FXCollections.observableArrayList(RestVerb.values());
    private final ObjectProperty<RestVerb> verb = new SimpleObjectProperty<>(RestVerb.PREDICT);
    private final ReadOnlyBooleanWrapper loadingSignatures = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper metadataError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper signatureHint = new ReadOnlyStringWrapper("");

    private final StringProperty request = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper requestProblem = new ReadOnlyStringWrapper("");
    private final StringBinding requestLine;

    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyStringWrapper latency = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper response = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ResponseTable> table = new ReadOnlyObjectWrapper<>(ResponseTable.EMPTY);
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ObservableList<HistoryEntry> history = FXCollections.observableArrayList();
    /**
     * Output names of the signatures read so far, by model, version and signature: they name the column of
     * a single-output answer even when the answer arrives while the signatures are being read again.
     */
    private final Map<String, List<String>> outputNames = new HashMap<>();

    /** Counts signature reads so a late answer for an earlier choice is ignored. */
    private long signatureRequests;
    /** The signature the editor's template was written for: choosing an equal one keeps the operator's edits. */
    private SignatureInfo templateSignature;
    /** The verb the editor's template was written for (examples for classify and regress, tensors for predict). */
    private RestVerb templateVerb;
    /** A history entry being restored: its signature and body win over the template once signatures arrive. */
    private HistoryEntry pendingRestore;
    /** The selected model as last seen, to notice when its versions change. */
    private ModelEntry selectedEntry;
    /** Set while a history entry sets model and version, so that they trigger one signature read, not two. */
    private boolean restoring;
    /** Set while the version list is replaced: a combo box clears its value meanwhile, which is no choice. */
    private boolean replacingVersions;
    /** Set while a signature's verbs are put in place: the verb set meanwhile is no choice of the operator's. */
    private boolean replacingVerbs;

    public PredictViewModel(ConsoleBackend backend, Executor ui, Clock clock) {
        this.backend = backend;
        this.ui = ui;
        this.clock = clock;
        requestLine = Bindings.createStringBinding(
                () -> model.get() == null ? "" : "POST " + path(model.get(), version.get(), verb()), model, version, verb);
        model.addListener((obs, old, now) -> modelChosen(now));
        version.addListener((obs, old, now) -> {
            if (replacingVersions || restoring) {
                return;
            }
            if (now == null) {
                version.set(VersionOption.LATEST);
            } else if (!now.equals(old)) {
                loadSignatures();
            }
        });
        signature.addListener((obs, old, now) -> signatureChosen(now));
        verb.addListener((obs, old, now) -> {
            if (replacingVerbs) {
                return;
            }
            if (now == null) {
                verb.set(old == null ? RestVerb.PREDICT : old); // a choice box drops its value when its items change
            } else {
                verbChosen(now);
            }
        });
        request.addListener((obs, old, now) -> requestProblem.set(""));
        modelsSubscription = backend.onModelsChanged(() -> ui.execute(this::refreshModels));
        ui.execute(this::refreshModels);
    }

    // ---- choosing model, version and signature ----

    /** Reads the models from the backend, keeps the choice when the model is still there, else picks the first. */
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
            model.set(names.isEmpty() ? null : names.get(0));
            return;
        }
        ModelEntry entry = entries.get(model.get());
        if (!entry.equals(selectedEntry)) {
            selectedEntry = entry;
            List<VersionOption> options = VersionOption.of(entry);
            if (!options.equals(versions)) {
                replaceVersions(options, version.get());
            }
            // A version may have become available since the last read failed: try again.
            if (signatures.isEmpty() && !loadingSignatures.get()) {
                loadSignatures();
            }
        }
    }

    private void modelChosen(String name) {
        selectedEntry = name == null ? null : backend.models().stream()
                .filter(entry -> entry.name().equals(name)).findFirst().orElse(null);
        replaceVersions(selectedEntry == null ? List.of(VersionOption.LATEST) : VersionOption.of(selectedEntry),
                VersionOption.LATEST);
        if (!restoring) {
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

    /** Reads the signatures of the chosen model and version (in the background). */
    public void loadSignatures() {
        long ticket = ++signatureRequests;
        String name = model.get();
        VersionOption chosen = chosenVersion();
        signature.set(null);
        signatures.clear();
        metadataError.set("");
        if (name == null) {
            loadingSignatures.set(false);
            applyPendingRestore();
            return;
        }
        if (chosen.choice() instanceof VersionChoice.Latest && selectedEntry != null && !hasAvailableVersion(selectedEntry)) {
            loadingSignatures.set(false);
            metadataError.set("No version of " + name + " is AVAILABLE yet: its signatures appear when one is.");
            applyPendingRestore();
            return;
        }
        loadingSignatures.set(true);
        CompletableFuture<List<SignatureInfo>> read;
        try {
            read = backend.signatures(name, chosen.choice());
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((list, failure) -> ui.execute(() -> {
            if (ticket != signatureRequests) {
                return;
            }
            loadingSignatures.set(false);
            if (failure != null) {
                metadataError.set("Cannot read the signatures of " + name + " (" + chosen.text() + "): "
                        + Failures.message(failure));
            } else {
                list.forEach(info -> outputNames.put(outputsKey(name, chosen, info.name()),
                        info.outputs().stream().map(TensorInfo::name).toList()));
                signatures.setAll(list);
                signature.set(preferredSignature(list));
            }
            applyPendingRestore();
        }));
    }

    private static boolean hasAvailableVersion(ModelEntry entry) {
        return entry.versions().stream().anyMatch(v -> v.state() == ManagerState.AVAILABLE);
    }

    /**
     * The restored entry's signature, else the one the template was written for, else the model's default
     * ({@link DefaultSignature}: serving_default, or for a TF2 export without one a signature to predict with).
     */
    private SignatureInfo preferredSignature(List<SignatureInfo> list) {
        String wanted = pendingRestore != null ? pendingRestore.signature()
                : templateSignature != null ? templateSignature.name() : "";
        return list.stream().filter(s -> s.name().equals(wanted)).findFirst()
                .or(() -> DefaultSignature.of(list)).orElse(null);
    }

    /**
     * Offers the signature's verbs and starts from the one its method name says; the same signature chosen
     * again (another version of the model) keeps the operator's verb and edits.
     */
    private void signatureChosen(SignatureInfo now) {
        if (now == null) {
            signatureHint.set("");
            replaceVerbs(List.of(RestVerb.values()), verb.get()); // unknown signature: the operator may try any verb
            return;
        }
        signatureHint.set(SignatureText.tensors(now));
        List<RestVerb> offered = RestVerb.offered(now);
        boolean same = now.equals(templateSignature) && offered.contains(templateVerb);
        RestVerb chosen = same ? templateVerb : RestVerb.preferred(now);
        replaceVerbs(offered, chosen);
        if (!same) {
            writeTemplate(now, chosen);
        }
    }

    /** Replaces the verb list and sets the choice, without writing a template on the way. */
    private void replaceVerbs(List<RestVerb> offered, RestVerb choice) {
        replacingVerbs = true;
        try {
            if (!offered.equals(verbs)) {
                verbs.setAll(offered);
            }
            verb.set(choice == null || !offered.contains(choice) ? offered.get(0) : choice);
        } finally {
            replacingVerbs = false;
        }
    }

    /** Another verb needs another body (examples or tensors): the template for it replaces the request. */
    private void verbChosen(RestVerb now) {
        SignatureInfo chosen = signature.get();
        if (chosen != null && (now != templateVerb || !chosen.equals(templateSignature))) {
            writeTemplate(chosen, now);
        }
    }

    /** Puts the chosen signature's template for the chosen verb back in the editor. */
    public void resetTemplate() {
        SignatureInfo chosen = signature.get();
        if (chosen != null) {
            writeTemplate(chosen, verb());
        }
    }

    private void writeTemplate(SignatureInfo chosen, RestVerb chosenVerb) {
        templateSignature = chosen;
        templateVerb = chosenVerb;
        request.set(JsonText.layout(RequestTemplate.body(chosen, chosenVerb, 0)));
    }

    // ---- sending ----

    /** Checks the request locally and sends it; a malformed body is reported here and never sent. */
    public CompletableFuture<Void> send() {
        if (busy.get()) {
            return CompletableFuture.completedFuture(null);
        }
        if (model.get() == null) {
            requestProblem.set("Choose a model first.");
            return CompletableFuture.completedFuture(null);
        }
        Optional<JsonNode> body = checkedRequest();
        if (body.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        SignatureInfo chosen = signature.get();
        return sendNow(model.get(), chosenVersion(), chosen == null ? "" : chosen.name(), verb(), request.get());
    }

    /** The request as JSON, or empty with {@link #requestProblemProperty()} saying what is wrong. */
    private Optional<JsonNode> checkedRequest() {
        JsonText.Parsed parsed = JsonText.parse(request.get());
        if (!parsed.ok()) {
            requestProblem.set("Not sent: the request is not valid JSON. " + parsed.problem());
            return Optional.empty();
        }
        if (!parsed.node().get().isObject()) {
            requestProblem.set("Not sent: a request is a JSON object ({ ... }), as TF Serving's REST API expects.");
            return Optional.empty();
        }
        requestProblem.set("");
        return parsed.node();
    }

    private CompletableFuture<Void> sendNow(String modelName, VersionOption versionOption, String signatureName,
            RestVerb verb, String body) {
        busy.set(true);
        status.set("Sending…");
        outcome.set(Outcome.NONE);
        latency.set("");
        response.set("");
        error.set("");
        notice.set("");
        table.set(ResponseTable.EMPTY);
        String outputsKey = outputsKey(modelName, versionOption, signatureName);
        CompletableFuture<RestReply> reply;
        try {
            reply = backend.sendRest(RestCall.post(path(modelName, versionOption, verb), body));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((answer, failure) -> {
            ui.execute(() -> {
                busy.set(false);
                HistoryEntry entry;
                if (failure != null) {
                    showFailure(failure);
                    entry = new HistoryEntry(clock.instant(), modelName, versionOption, signatureName, verb, body,
                            HistoryEntry.NO_ANSWER, Duration.ZERO);
                } else {
                    showReply(answer, outputNames.getOrDefault(outputsKey, List.of()));
                    entry = new HistoryEntry(clock.instant(), modelName, versionOption, signatureName, verb, body,
                            answer.statusCode(), answer.latency());
                }
                remember(entry);
            });
            return null;
        });
    }

    private void showReply(RestReply reply, List<String> outputNames) {
        status.set("HTTP " + reply.statusCode() + reasonPhrase(reply.statusCode()));
        latency.set(formatLatency(reply.latency()));
        JsonText.Parsed parsed = JsonText.parse(reply.body());
        String shown = parsed.node().map(JsonText::layout).orElse(reply.body());
        response.set(shown.length() <= MAX_SHOWN_CHARS ? shown
                : shown.substring(0, MAX_SHOWN_CHARS) + "\n… (cut: the answer has " + shown.length() + " characters)");
        Optional<String> serverError = parsed.node().filter(node -> node.has("error"))
                .map(node -> node.get("error").asText());
        if (!reply.ok() || serverError.isPresent()) {
            outcome.set(Outcome.ERROR);
            error.set("HTTP " + reply.statusCode() + ": " + serverError.orElse(
                    reply.body().isBlank() ? "(no body)" : firstChars(reply.body(), 500)));
            table.set(ResponseTable.EMPTY);
        } else {
            outcome.set(Outcome.OK);
            table.set(parsed.node().map(node -> ResponseTable.of(node, outputNames)).orElse(ResponseTable.EMPTY));
        }
    }

    private void showFailure(Throwable failure) {
        status.set("No answer");
        outcome.set(Outcome.ERROR);
        error.set("The request failed: " + Failures.message(failure));
    }

    private void remember(HistoryEntry entry) {
        history.add(0, entry);
        if (history.size() > HISTORY_LIMIT) {
            history.remove(HISTORY_LIMIT, history.size());
        }
    }

    private static String outputsKey(String modelName, VersionOption versionOption, String signatureName) {
        return modelName + '\n' + versionOption.text() + '\n' + signatureName;
    }

    private VersionOption chosenVersion() {
        return version.get() == null ? VersionOption.LATEST : version.get();
    }

    /** The verb chosen (Predict until one is). */
    private RestVerb verb() {
        return verb.get() == null ? RestVerb.PREDICT : verb.get();
    }

    /** {@code /v1/models/<model>[/versions/N | /labels/L]:<verb>}, with names escaped for a URL path. */
    static String path(String modelName, VersionOption versionOption, RestVerb verb) {
        VersionChoice choice = versionOption == null ? VersionChoice.LATEST : versionOption.choice();
        String versionPath = choice instanceof VersionChoice.Label label
                ? "/labels/" + pathSegment(label.label()) : choice.restPath();
        return "/v1/models/" + pathSegment(modelName) + versionPath + ":" + verb.verb();
    }

    private static String pathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String formatLatency(Duration latency) {
        return String.format(Locale.ROOT, "%.2f ms", latency.toNanos() / 1e6);
    }

    private static String reasonPhrase(int statusCode) {
        return switch (statusCode) {
            case 200 -> " OK";
            case 400 -> " Bad Request";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 408 -> " Request Timeout";
            case 409 -> " Conflict";
            case 413 -> " Payload Too Large";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 501 -> " Not Implemented";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }

    private static String firstChars(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    // ---- editor tools and history ----

    /** Lays the request out again (tensors stay compact); a malformed request is reported instead. */
    public void reformat() {
        checkedRequest().ifPresent(node -> request.set(JsonText.layout(node)));
    }

    /**
     * The request as a curl command for a POSIX shell (the body on one line when it is valid JSON), or
     * empty with a notice when the server does not serve REST. The view puts it on the clipboard.
     */
    public Optional<String> curlCommand() {
        Optional<String> base = backend.restBaseUrl();
        if (base.isEmpty()) {
            notice.set("The server does not serve REST now: start it on the Server page.");
            return Optional.empty();
        }
        if (model.get() == null) {
            notice.set("Choose a model first.");
            return Optional.empty();
        }
        String text = request.get() == null ? "" : request.get();
        String body = JsonText.parse(text).node().map(JsonText::compact).orElse(text);
        notice.set("Copied the curl command to the clipboard.");
        return Optional.of(CurlCommand.post(base.get() + path(model.get(), version.get(), verb()), body));
    }

    /** Puts a past request back: model, version, signature, verb and body. */
    public void restore(HistoryEntry entry) {
        pendingRestore = entry;
        restoring = true;
        try {
            model.set(entry.model());
            version.set(entry.version());
        } finally {
            restoring = false;
        }
        // Applies the entry once the signatures are read (at once when the backend answers at once).
        loadSignatures();
    }

    /** Restores a past request and sends it again as it was. */
    public CompletableFuture<Void> resend(HistoryEntry entry) {
        if (busy.get()) {
            return CompletableFuture.completedFuture(null);
        }
        restore(entry);
        return sendNow(entry.model(), entry.version(), entry.signature(), entry.verb(), entry.body());
    }

    private void applyPendingRestore() {
        HistoryEntry entry = pendingRestore;
        if (entry == null) {
            return;
        }
        pendingRestore = null;
        signatures.stream().filter(s -> s.name().equals(entry.signature())).findFirst().ifPresent(signature::set);
        replaceVerbs(verbs.contains(entry.verb()) ? List.copyOf(verbs) : List.of(RestVerb.values()), entry.verb());
        templateVerb = entry.verb(); // the entry's body is the operator's edit of this verb's template
        request.set(entry.body());
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

    /** Reads what an operator typed into the version chooser. */
    public VersionOption parseVersion(String typed) {
        return VersionOption.parse(typed);
    }

    public ObservableList<SignatureInfo> signatures() {
        return signatures;
    }

    public ObjectProperty<SignatureInfo> signatureProperty() {
        return signature;
    }

    /**
     * How the signature chooser names a signature with the verbs it takes, e.g. {@code serving_default (predict)}
     * or {@code classify_x_to_y (predict, classify)} for a TF2 signature of classify's form.
     */
    public static String signatureText(SignatureInfo info) {
        return info == null ? "" : SignatureText.title(info);
    }

    /** The verbs the chosen signature takes, the one its method name says first. */
    public ObservableList<RestVerb> verbs() {
        return verbs;
    }

    public ObjectProperty<RestVerb> verbProperty() {
        return verb;
    }

    public ReadOnlyBooleanProperty loadingSignaturesProperty() {
        return loadingSignatures.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty metadataErrorProperty() {
        return metadataError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty signatureHintProperty() {
        return signatureHint.getReadOnlyProperty();
    }

    public StringProperty requestProperty() {
        return request;
    }

    public ReadOnlyStringProperty requestProblemProperty() {
        return requestProblem.getReadOnlyProperty();
    }

    /** {@code POST /v1/models/...:predict}: where Send goes. */
    public StringBinding requestLineProperty() {
        return requestLine;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty latencyProperty() {
        return latency.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty responseProperty() {
        return response.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ResponseTable> tableProperty() {
        return table.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ObservableList<HistoryEntry> history() {
        return history;
    }
}
