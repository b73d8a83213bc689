package dev.servedeck.console.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.chooser.SignatureChooser;
import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.console.kit.OperationState;
import dev.servedeck.core.signature.DefaultSignature;
import dev.servedeck.core.signature.InferRequestTemplate;
import dev.servedeck.core.signature.RequestTemplate;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.signatures.SignatureText;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
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

/**
 * The Predict page: choose a model, a version or label, a signature and the verb to call it with; edit a
 * request pre-filled from the signature's inputs ({@link RequestTemplate}); send it over the server's real REST API and show status, latency, the answer
 * (laid-out JSON and a table of its tensors) and TF Serving's error text; keep a history; copy a request as
 * a curl command.
 *
 * <p>The same in the Open Inference Protocol ({@link PredictProtocol#OPEN_INFERENCE_V2}): the template in its JSON
 * ({@link InferRequestTemplate}: the same tensors), {@code POST /v2/models/m[/versions/N]/infer} through the same
 * REST call, the answer's outputs in the same table. The protocol has no labels, so a label is sent as the version
 * it points at when Send is pressed (or refused when it points at none), and no Classify or Regress, so the verb is
 * Predict and its chooser says why.
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
    private final Clock clock;
    /** Model, version and signature: the chooser the load generator uses too. */
    private final SignatureChooser chooser;
    private final ObjectProperty<String> model;
    private final ObjectProperty<VersionOption> version;
    private final ObservableList<SignatureInfo> signatures;
    private final ObjectProperty<SignatureInfo> signature;
    /** Busy while a request is out; the notice of the editor tools. */
    private final OperationState operation;
    private final ObservableList<RestVerb> verbs = FXCollections.observableArrayList(RestVerb.values());
    private final ObjectProperty<RestVerb> verb = new SimpleObjectProperty<>(RestVerb.PREDICT);
    private final ObservableList<PredictProtocol> protocols = FXCollections.observableArrayList(PredictProtocol.values());
    private final ObjectProperty<PredictProtocol> protocol = new SimpleObjectProperty<>(PredictProtocol.TF_SERVING_V1);
    /** Why the verb cannot be chosen (the Open Inference Protocol has only inference); empty when it can. */
    private final ReadOnlyStringWrapper verbNote = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper signatureHint = new ReadOnlyStringWrapper("");

    private final StringProperty request = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper requestProblem = new ReadOnlyStringWrapper("");
    private final StringBinding requestLine;

    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyStringWrapper latency = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper response = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ResponseTable> table = new ReadOnlyObjectWrapper<>(ResponseTable.EMPTY);
    private final ObservableList<HistoryEntry> history = FXCollections.observableArrayList();
    /**
     * Output names of the signatures read so far, by model, version and signature: they name the column of
     * a single-output answer even when the answer arrives while the signatures are being read again.
     */
    private final Map<String, List<String>> outputNames = new HashMap<>();

    /** The signature the editor's template was written for: choosing an equal one keeps the operator's edits. */
    private SignatureInfo templateSignature;
    /** The verb the editor's template was written for (examples for classify and regress, tensors for predict). */
    private RestVerb templateVerb;
    /** The protocol the editor's template was written in. */
    private PredictProtocol templateProtocol;
    /** A history entry being restored: its signature and body win over the template once signatures arrive. */
    private HistoryEntry pendingRestore;
    /** Set while a signature's verbs are put in place: the verb set meanwhile is no choice of the operator's. */
    private boolean replacingVerbs;

    public PredictViewModel(ConsoleBackend backend, Executor ui, Clock clock) {
        this.backend = backend;
        this.clock = clock;
        this.operation = new OperationState(ui);
        this.chooser = new SignatureChooser(backend, ui)
                .preferSignature(this::preferredSignature)
                .onSignaturesRead((name, chosen, list) -> list.forEach(info -> outputNames.put(
                        outputsKey(name, chosen, info.name()), info.outputs().stream().map(TensorInfo::name).toList())))
                .afterRead(this::applyPendingRestore);
        this.model = chooser.modelProperty();
        this.version = chooser.versionProperty();
        this.signatures = chooser.signatures();
        this.signature = chooser.signatureProperty();
        requestLine = Bindings.createStringBinding(this::describeRequestLine, model, version, verb, protocol);
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
        protocol.addListener((obs, old, now) -> {
            if (now == null) {
                protocol.set(old == null ? PredictProtocol.TF_SERVING_V1 : old);
            } else {
                protocolChosen(now);
            }
        });
        chooser.start();
    }

    // ---- choosing model, version and signature ----

    /** Reads the models from the backend, keeps the choice when the model is still there, else picks the first. */
    public void refreshModels() {
        chooser.refreshModels();
    }

    /** Reads the signatures of the chosen model and version (in the background). */
    public void loadSignatures() {
        chooser.loadSignatures();
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
        boolean same = now.equals(templateSignature) && offered.contains(templateVerb)
                && protocol() == templateProtocol;
        RestVerb chosen = same ? templateVerb : openInference() ? RestVerb.PREDICT : RestVerb.preferred(now);
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

    /**
     * Another protocol: the Open Inference Protocol infers only (the verb becomes Predict, and says why), and its
     * template is in its own JSON.
     */
    private void protocolChosen(PredictProtocol now) {
        boolean v2 = now == PredictProtocol.OPEN_INFERENCE_V2;
        verbNote.set(v2 ? "Classify and Regress are TF Serving's (v1) verbs: the Open Inference Protocol only infers, "
                + "which is Predict" : "");
        if (v2 && verb.get() != RestVerb.PREDICT) {
            replaceVerbs(List.copyOf(verbs), RestVerb.PREDICT);
        }
        SignatureInfo chosen = signature.get();
        if (chosen != null && now != templateProtocol) {
            writeTemplate(chosen, verb());
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
        templateProtocol = protocol();
        request.set(JsonText.layout(openInference() ? InferRequestTemplate.body(chosen, 0)
                : RequestTemplate.body(chosen, chosenVerb, 0)));
    }

    // ---- sending ----

    /** Checks the request locally and sends it; a malformed body is reported here and never sent. */
    public CompletableFuture<Void> send() {
        if (operation.isBusy()) {
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
        return sendNow(model.get(), chosenVersion(), chosen == null ? "" : chosen.name(), verb(), protocol(),
                request.get());
    }

    /** The request as JSON, or empty with {@link #requestProblemProperty()} saying what is wrong. */
    private Optional<JsonNode> checkedRequest() {
        JsonText.Parsed parsed = JsonText.parse(request.get());
        if (!parsed.ok()) {
            requestProblem.set("Not sent: the request is not valid JSON. " + parsed.problem());
            return Optional.empty();
        }
        if (!parsed.node().get().isObject()) {
            requestProblem.set("Not sent: a request is a JSON object ({ ... }), as " + (openInference()
                    ? "the Open Inference Protocol" : "TF Serving's REST API") + " expects.");
            return Optional.empty();
        }
        requestProblem.set("");
        return parsed.node();
    }

    /** A request's outcome: an answer, or why none came. */
    private record Exchange(RestReply answer, Throwable failure) {
    }

    private CompletableFuture<Void> sendNow(String modelName, VersionOption versionOption, String signatureName,
            RestVerb verb, PredictProtocol sentIn, String body) {
        String to;
        try {
            to = path(modelName, versionOption, verb, sentIn);
        } catch (IllegalArgumentException e) {
            requestProblem.set("Not sent: " + e.getMessage() + ".");
            return CompletableFuture.completedFuture(null);
        }
        status.set("Sending…");
        outcome.set(Outcome.NONE);
        latency.set("");
        response.set("");
        error.set("");
        table.set(ResponseTable.EMPTY);
        String outputsKey = outputsKey(modelName, versionOption, signatureName);
        // A failed exchange is an outcome to show and keep in the history, not a failed operation.
        return operation.run("Sending", () -> sent(RestCall.post(to, body))
                .handle(Exchange::new), exchange -> {
                    HistoryEntry entry;
                    if (exchange.failure() != null) {
                        showFailure(exchange.failure());
                        entry = new HistoryEntry(clock.instant(), modelName, versionOption, signatureName, verb, body,
                                HistoryEntry.NO_ANSWER, Duration.ZERO, sentIn);
                    } else {
                        showReply(exchange.answer(), outputNames.getOrDefault(outputsKey, List.of()));
                        entry = new HistoryEntry(clock.instant(), modelName, versionOption, signatureName, verb, body,
                                exchange.answer().statusCode(), exchange.answer().latency(), sentIn);
                    }
                    remember(entry);
                    return "";
                }, "The request failed: ");
    }

    /** The backend's reply; a call that throws is a reply that failed. */
    private CompletableFuture<RestReply> sent(RestCall call) {
        try {
            return backend.sendRest(call);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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

    /** The verb chosen (Predict until one is, and always in the Open Inference Protocol). */
    private RestVerb verb() {
        return verb.get() == null || openInference() ? RestVerb.PREDICT : verb.get();
    }

    private PredictProtocol protocol() {
        return protocol.get() == null ? PredictProtocol.TF_SERVING_V1 : protocol.get();
    }

    private boolean openInference() {
        return protocol() == PredictProtocol.OPEN_INFERENCE_V2;
    }

    /** {@code /v1/models/<model>[/versions/N | /labels/L]:<verb>}, with names escaped for a URL path. */
    static String path(String modelName, VersionOption versionOption, RestVerb verb) {
        return SignatureChooser.restPath(modelName, versionOption, verb);
    }

    /**
     * The path in the protocol: TF Serving's, or {@code /v2/models/<model>[/versions/N]/infer} with a label resolved
     * to the version it points at now.
     *
     * @throws IllegalArgumentException for a label that points at no version
     */
    private String path(String modelName, VersionOption versionOption, RestVerb chosenVerb, PredictProtocol in) {
        return in == PredictProtocol.OPEN_INFERENCE_V2
                ? SignatureChooser.inferPath(modelName, chooser.inferVersion(modelName, versionOption))
                : path(modelName, versionOption, chosenVerb);
    }

    /** Where Send goes; for a label in the Open Inference Protocol, the version it stands for, or why it cannot go. */
    private String describeRequestLine() {
        if (model.get() == null) {
            return "";
        }
        try {
            String line = "POST " + path(model.get(), version.get(), verb(), protocol());
            VersionOption chosen = chosenVersion();
            return openInference() && chosen.choice() instanceof VersionChoice.Label
                    ? line + "  (" + chosen.text() + ": v2 has no labels)" : line;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
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
            operation.showNotice("The server does not serve REST now: start it on the Server page.");
            return Optional.empty();
        }
        if (model.get() == null) {
            operation.showNotice("Choose a model first.");
            return Optional.empty();
        }
        String text = request.get() == null ? "" : request.get();
        String body = JsonText.parse(text).node().map(JsonText::compact).orElse(text);
        String to;
        try {
            to = path(model.get(), version.get(), verb(), protocol());
        } catch (IllegalArgumentException e) {
            operation.showNotice("Not copied: " + e.getMessage() + ".");
            return Optional.empty();
        }
        operation.showNotice("Copied the curl command to the clipboard.");
        return Optional.of(CurlCommand.post(base.get() + to, body));
    }

    /** Puts a past request back: model, version, signature, protocol, verb and body. */
    public void restore(HistoryEntry entry) {
        pendingRestore = entry;
        protocol.set(entry.protocol());
        // Applies the entry once the signatures are read (at once when the backend answers at once).
        chooser.choose(entry.model(), entry.version());
    }

    /** Restores a past request and sends it again as it was. */
    public CompletableFuture<Void> resend(HistoryEntry entry) {
        if (operation.isBusy()) {
            return CompletableFuture.completedFuture(null);
        }
        restore(entry);
        return sendNow(entry.model(), entry.version(), entry.signature(), entry.verb(), entry.protocol(),
                entry.body());
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
        templateProtocol = entry.protocol();
        request.set(entry.body());
    }

    @Override
    public void close() {
        chooser.close();
    }

    // ---- properties ----

    public ObservableList<String> models() {
        return chooser.models();
    }

    /** The model → version → signature chooser (the view binds its three boxes to it). */
    public SignatureChooser chooser() {
        return chooser;
    }

    public ObjectProperty<String> modelProperty() {
        return model;
    }

    public ObservableList<VersionOption> versions() {
        return chooser.versions();
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

    /** TF Serving's REST API or the Open Inference Protocol. */
    public ObservableList<PredictProtocol> protocols() {
        return protocols;
    }

    public ObjectProperty<PredictProtocol> protocolProperty() {
        return protocol;
    }

    /** Why the verb cannot be chosen now (the Open Inference Protocol has no Classify or Regress); empty otherwise. */
    public ReadOnlyStringProperty verbNoteProperty() {
        return verbNote.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingSignaturesProperty() {
        return chooser.loadingProperty();
    }

    public ReadOnlyStringProperty metadataErrorProperty() {
        return chooser.errorProperty();
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

    /** {@code POST /v1/models/...:predict} or {@code POST /v2/models/.../infer}: where Send goes. */
    public StringBinding requestLineProperty() {
        return requestLine;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return operation.busyProperty();
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
        return operation.noticeProperty();
    }

    public ObservableList<HistoryEntry> history() {
        return history;
    }
}
