package dev.servedeck.console.predict;

import dev.servedeck.console.chooser.VersionOption;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.signature.RequestTemplate;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Predict page's decisions against a fake backend, without a toolkit. */
class PredictViewModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-01T10:15:30Z");

    private static final SignatureInfo HALF_PLUS_TWO = predict("serving_default",
            List.of(tensor("x", "FLOAT", -1, 1)), List.of(tensor("y", "FLOAT", -1, 1)));
    private static final SignatureInfo MLP = predict("serving_default",
            List.of(tensor("images", "FLOAT", -1, 784)),
            List.of(tensor("classes", "INT64", -1), tensor("probabilities", "FLOAT", -1, 10)));

    /** Signatures per model, so that choosing another model shows its own. */
    private final Map<String, List<SignatureInfo>> signaturesByModel = new HashMap<>();
    private final FakeBackend backend = new FakeBackend() {
        @Override
        public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
            CompletableFuture<List<SignatureInfo>> answer = super.signatures(model, version);
            return answer.thenApply(ignored -> signaturesByModel.getOrDefault(model, List.of()));
        }
    };
    private final List<RestCall> sent = new ArrayList<>();
    private PredictViewModel viewModel;

    @BeforeEach
    void serveTwoModels() {
        backend.state = ServerStatus.State.RUNNING;
        backend.models = List.of(model("half_plus_two", Map.of("stable", 1L), 1, 2), model("mlp", Map.of(), 1));
        signaturesByModel.put("half_plus_two", List.of(HALF_PLUS_TWO));
        signaturesByModel.put("mlp", List.of(MLP));
        backend.rest = call -> {
            sent.add(call);
            return new RestReply(200, "{\"predictions\": [[2.5], [3.0], [4.5]]}", Duration.ofNanos(3_214_567));
        };
        viewModel = new PredictViewModel(backend, new DirectExecutor(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    // ---- choosing ----

    @Test
    void choosesTheFirstModelAndFillsTheEditorFromItsSignature() throws IOException {
        assertThat(viewModel.models()).containsExactly("half_plus_two", "mlp");
        assertThat(viewModel.modelProperty().get()).isEqualTo("half_plus_two");
        assertThat(backend.calls).contains("signatures half_plus_two Latest[]");
        assertThat(viewModel.signatureProperty().get()).isEqualTo(HALF_PLUS_TWO);
        assertThat(compact(viewModel.requestProperty().get())).isEqualTo("{\"instances\":[[0.0]]}");
        assertThat(viewModel.signatureHintProperty().get()).contains("x: FLOAT [-1, 1]").contains("y: FLOAT [-1, 1]");
        assertThat(viewModel.requestLineProperty().get()).isEqualTo("POST /v1/models/half_plus_two:predict");
    }

    @Test
    void offersLatestEachVersionAndEachLabel() {
        assertThat(viewModel.versions()).extracting(VersionOption::text)
                .containsExactly("latest", "version 1", "version 2", "label stable");
    }

    @Test
    void buildsTheRestPathForAVersionOrALabel() {
        viewModel.versionProperty().set(VersionOption.number(2));
        assertThat(backend.calls).contains("signatures half_plus_two Number[version=2]");
        assertThat(viewModel.requestLineProperty().get()).isEqualTo("POST /v1/models/half_plus_two/versions/2:predict");

        viewModel.versionProperty().set(VersionOption.label("stable"));
        assertThat(backend.calls).contains("signatures half_plus_two Label[label=stable]");
        viewModel.send();
        assertThat(sent).extracting(RestCall::path).containsExactly("/v1/models/half_plus_two/labels/stable:predict");
        assertThat(sent.get(0).method()).isEqualTo("POST");
    }

    @Test
    void readsWhatTheOperatorTypesAsAVersion() {
        assertThat(VersionOption.parse("")).isEqualTo(VersionOption.LATEST);
        assertThat(VersionOption.parse(" Latest ")).isEqualTo(VersionOption.LATEST);
        assertThat(VersionOption.parse("7").choice()).isEqualTo(new VersionChoice.Number(7));
        assertThat(VersionOption.parse("version 12").choice()).isEqualTo(new VersionChoice.Number(12));
        assertThat(VersionOption.parse("canary").choice()).isEqualTo(new VersionChoice.Label("canary"));
        assertThat(VersionOption.parse("label 42").choice()).isEqualTo(new VersionChoice.Label("42"));
        // Words parse back to themselves, so the editable chooser round-trips.
        assertThat(VersionOption.parse(VersionOption.label("stable").text())).isEqualTo(VersionOption.label("stable"));
        assertThat(VersionOption.parse(VersionOption.number(3).text())).isEqualTo(VersionOption.number(3));
    }

    @Test
    void escapesNamesInThePath() {
        assertThat(PredictViewModel.path("my model", VersionOption.label("a/b"), RestVerb.PREDICT))
                .isEqualTo("/v1/models/my%20model/labels/a%2Fb:predict");
    }

    @Test
    void keepsTheOperatorsEditsWhenAnotherVersionHasTheSameSignature() {
        viewModel.requestProperty().set("{\"instances\": [[7.0]]}");
        viewModel.versionProperty().set(VersionOption.number(2));
        assertThat(viewModel.requestProperty().get()).isEqualTo("{\"instances\": [[7.0]]}");

        viewModel.modelProperty().set("mlp");
        assertThat(viewModel.requestProperty().get()).contains("0.0, 0.0");
        assertThat(viewModel.versionProperty().get()).isEqualTo(VersionOption.LATEST);
    }

    @Test
    void showsWhyTheSignaturesCannotBeRead() {
        backend.failNext("Servable not found for request: Specific(half_plus_two, 99)");
        viewModel.versionProperty().set(VersionOption.number(99));
        assertThat(viewModel.metadataErrorProperty().get())
                .isEqualTo("Cannot read the signatures of half_plus_two (version 99): "
                        + "Servable not found for request: Specific(half_plus_two, 99)");
        assertThat(viewModel.signatures()).isEmpty();
        assertThat(viewModel.loadingSignaturesProperty().get()).isFalse();
        // The request can still go out: the server's own answer is worth seeing.
        viewModel.send();
        assertThat(sent).extracting(RestCall::path).containsExactly("/v1/models/half_plus_two/versions/99:predict");
    }

    @Test
    void waitsForAnAvailableVersionBeforeReadingSignatures() {
        backend.models = List.of(FakeBackend.model("loading", new ServableVersionPolicy.Latest(1), Map.of(),
                List.of(new VersionEntry(1, ManagerState.LOADING, "", NOW))));
        signaturesByModel.put("loading", List.of(HALF_PLUS_TWO));
        backend.fireModelsChanged();
        assertThat(viewModel.modelProperty().get()).isEqualTo("loading");
        assertThat(backend.calls).doesNotContain("signatures loading Latest[]");
        assertThat(viewModel.metadataErrorProperty().get()).contains("No version of loading is AVAILABLE yet");

        backend.models = List.of(FakeBackend.model("loading", new ServableVersionPolicy.Latest(1), Map.of(),
                List.of(new VersionEntry(1, ManagerState.AVAILABLE, "", NOW))));
        backend.fireModelsChanged();
        assertThat(backend.calls).contains("signatures loading Latest[]");
        assertThat(viewModel.metadataErrorProperty().get()).isEmpty();
        assertThat(viewModel.signatureProperty().get()).isEqualTo(HALF_PLUS_TWO);
    }

    @Test
    void ignoresSignaturesThatArriveForAnEarlierChoice() {
        CompletableFuture<List<SignatureInfo>> slow = new CompletableFuture<>();
        FakeBackend slowBackend = new FakeBackend() {
            @Override
            public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
                super.signatures(model, version);
                return model.equals("half_plus_two") ? slow : CompletableFuture.completedFuture(List.of(MLP));
            }
        };
        slowBackend.models = backend.models;
        PredictViewModel racing = new PredictViewModel(slowBackend, new DirectExecutor(), Clock.systemUTC());
        assertThat(racing.loadingSignaturesProperty().get()).isTrue();
        racing.modelProperty().set("mlp");
        slow.complete(List.of(HALF_PLUS_TWO));
        assertThat(racing.signatureProperty().get()).isEqualTo(MLP);
        assertThat(racing.loadingSignaturesProperty().get()).isFalse();
    }

    // ---- templates ----

    @Test
    void templateOfA784VectorIsOneRowOnOneLine() throws IOException {
        viewModel.modelProperty().set("mlp");
        String template = viewModel.requestProperty().get();
        JsonNode body = JSON.readTree(template);
        assertThat(body.get("instances")).hasSize(1);
        assertThat(body.get("instances").get(0)).hasSize(784);
        assertThat(body.get("instances").get(0).get(783).asDouble()).isZero();
        assertThat(template.lines().count()).isEqualTo(5);
        assertThat(template).startsWith("{\n  \"instances\": [\n    [0.0, 0.0, 0.0,");
    }

    @Test
    void templateOfALargeShapeIsCompactOnOneLine() throws IOException {
        SignatureInfo image = predict("serving_default", List.of(tensor("image", "FLOAT", -1, 224, 224, 3)), List.of());
        String template = JsonText.layout(RequestTemplate.body(image, RestVerb.PREDICT, 0));
        assertThat(template.lines().count()).isEqualTo(3);
        assertThat(template).contains("\"instances\": [[[[0.0,0.0,0.0],[0.0,0.0,0.0],");
        JsonNode instance = JSON.readTree(template).get("instances").get(0);
        assertThat(instance).hasSize(224);
        assertThat(instance.get(223)).hasSize(224);
        assertThat(instance.get(223).get(223)).hasSize(3);
    }

    @Test
    void templateOfAClassifySignatureUsesExamplesAndTheClassifyVerb() throws IOException {
        SignatureInfo classify = new SignatureInfo("classify_x", "tensorflow/serving/classify",
                List.of(tensor("inputs", "STRING", -1)), List.of(tensor("scores", "FLOAT", -1, 2)));
        SignatureInfo regress = new SignatureInfo("regress_x", "tensorflow/serving/regress",
                List.of(tensor("inputs", "STRING", -1)), List.of(tensor("outputs", "FLOAT", -1)));
        signaturesByModel.put("half_plus_two", List.of(HALF_PLUS_TWO, classify, regress));
        viewModel.loadSignatures();
        viewModel.signatureProperty().set(classify);
        assertThat(compact(viewModel.requestProperty().get()))
                .isEqualTo("{\"signature_name\":\"classify_x\",\"examples\":[{\"feature\":0.0}]}");
        assertThat(viewModel.requestLineProperty().get()).isEqualTo("POST /v1/models/half_plus_two:classify");
        viewModel.signatureProperty().set(regress);
        viewModel.send();
        assertThat(sent).extracting(RestCall::path).containsExactly("/v1/models/half_plus_two:regress");
        assertThat(PredictViewModel.signatureText(regress)).isEqualTo("regress_x (regress, predict)");
    }

    // ---- TF2 exports ----

    /** tf-java's Python-written model: five signatures, no serving_default, inputs of unknown rank. */
    private static final List<SignatureInfo> PYTHON_MODEL = List.of(
            predict("add", List.of(anyShape("a"), anyShape("b")), List.of(anyShape("output_0"))),
            predict("get_const_matrix", List.of(anyShape("input")), List.of(anyShape("output_0"))),
            predict("get_const_scalar", List.of(anyShape("input")), List.of(anyShape("output_0"))),
            predict("get_const_vector", List.of(anyShape("input")), List.of(anyShape("output_0"))),
            predict("get_variable", List.of(anyShape("dummy")), List.of(tensor("output_0", "FLOAT"))));
    /** TF Serving's TF2 half_plus_two: every method says predict, classify_x_to_y has classify's form. */
    private static final SignatureInfo TF2_CLASSIFY = predict("classify_x_to_y",
            List.of(tensor("inputs", "STRING", -1)), List.of(tensor("scores", "FLOAT", -1, 1)));
    private static final SignatureInfo TF2_REGRESS = predict("regress_x_to_y",
            List.of(tensor("inputs", "STRING", -1)), List.of(tensor("outputs", "FLOAT", -1, 1)));

    @Test
    void aModelWithoutServingDefaultStartsFromARealSignatureCalledByName() throws IOException {
        signaturesByModel.put("half_plus_two", PYTHON_MODEL);
        viewModel.loadSignatures();
        assertThat(viewModel.signatureProperty().get().name()).isEqualTo("add");
        assertThat(compact(viewModel.requestProperty().get()))
                .isEqualTo("{\"signature_name\":\"add\",\"inputs\":{\"a\":0.0,\"b\":0.0}}");
        assertThat(viewModel.signatureHintProperty().get())
                .isEqualTo("inputs a: FLOAT (any shape), b: FLOAT (any shape)  →  outputs output_0: FLOAT (any shape)");
        assertThat(viewModel.verbs()).containsExactly(RestVerb.PREDICT);

        viewModel.signatureProperty().set(PYTHON_MODEL.get(4));
        assertThat(compact(viewModel.requestProperty().get()))
                .isEqualTo("{\"signature_name\":\"get_variable\",\"inputs\":{\"dummy\":0.0}}");
        viewModel.send();
        assertThat(sent.get(0).body()).contains("\"signature_name\": \"get_variable\"");
    }

    @Test
    void aClassifyShapedPredictSignatureOffersClassifyAndStartsWithPredict() throws IOException {
        signaturesByModel.put("half_plus_two", List.of(HALF_PLUS_TWO, TF2_CLASSIFY, TF2_REGRESS));
        viewModel.loadSignatures();
        viewModel.signatureProperty().set(TF2_CLASSIFY);
        assertThat(viewModel.verbs()).containsExactly(RestVerb.PREDICT, RestVerb.CLASSIFY);
        assertThat(viewModel.verbProperty().get()).isEqualTo(RestVerb.PREDICT);
        assertThat(PredictViewModel.signatureText(TF2_CLASSIFY)).isEqualTo("classify_x_to_y (predict, classify)");
        assertThat(compact(viewModel.requestProperty().get()))
                .isEqualTo("{\"signature_name\":\"classify_x_to_y\",\"instances\":[\"\"]}");

        viewModel.verbProperty().set(RestVerb.CLASSIFY);
        assertThat(viewModel.requestLineProperty().get()).isEqualTo("POST /v1/models/half_plus_two:classify");
        assertThat(compact(viewModel.requestProperty().get()))
                .isEqualTo("{\"signature_name\":\"classify_x_to_y\",\"examples\":[{\"feature\":0.0}]}");
        viewModel.requestProperty().set("{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        viewModel.send();
        assertThat(sent).extracting(RestCall::path).containsExactly("/v1/models/half_plus_two:classify");
        assertThat(viewModel.history().get(0).verb()).isEqualTo(RestVerb.CLASSIFY);

        // Another signature starts from its own verb; restoring the entry brings classify and the edit back.
        viewModel.signatureProperty().set(TF2_REGRESS);
        assertThat(viewModel.verbs()).containsExactly(RestVerb.PREDICT, RestVerb.REGRESS);
        assertThat(viewModel.verbProperty().get()).isEqualTo(RestVerb.PREDICT);
        viewModel.restore(viewModel.history().get(0));
        assertThat(viewModel.signatureProperty().get()).isEqualTo(TF2_CLASSIFY);
        assertThat(viewModel.verbProperty().get()).isEqualTo(RestVerb.CLASSIFY);
        assertThat(viewModel.requestProperty().get()).contains("\"x\": 2.0");
        assertThat(viewModel.requestLineProperty().get()).isEqualTo("POST /v1/models/half_plus_two:classify");
    }

    @Test
    void anotherVersionWithTheSameSignatureKeepsTheChosenVerbAndTheEdits() {
        signaturesByModel.put("half_plus_two", List.of(HALF_PLUS_TWO, TF2_CLASSIFY));
        viewModel.loadSignatures();
        viewModel.signatureProperty().set(TF2_CLASSIFY);
        viewModel.verbProperty().set(RestVerb.CLASSIFY);
        viewModel.requestProperty().set("{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        viewModel.versionProperty().set(VersionOption.number(2));
        assertThat(viewModel.signatureProperty().get()).isEqualTo(TF2_CLASSIFY);
        assertThat(viewModel.verbProperty().get()).isEqualTo(RestVerb.CLASSIFY);
        assertThat(viewModel.requestProperty().get()).contains("\"x\": 2.0");
    }

    @Test
    void anInputWithADefaultIsLeftOutOfTheTemplateAndNamedInTheHint() throws IOException {
        SignatureInfo scale = predict("scale", List.of(new TensorInfo("factor", "FLOAT", List.of(), false, true),
                anyShape("x")), List.of(anyShape("y")));
        signaturesByModel.put("half_plus_two", List.of(scale));
        viewModel.loadSignatures();
        assertThat(compact(viewModel.requestProperty().get()))
                .isEqualTo("{\"signature_name\":\"scale\",\"inputs\":{\"x\":0.0}}");
        assertThat(viewModel.signatureHintProperty().get())
                .startsWith("inputs factor: FLOAT [] (has a default), x: FLOAT (any shape)");
    }

    @Test
    void aSignatureOfUnknownFormMayStillBeCalledWithAnyVerb() {
        backend.failNext("Servable not found for request: Specific(half_plus_two, 99)");
        viewModel.versionProperty().set(VersionOption.number(99));
        assertThat(viewModel.verbs()).containsExactly(RestVerb.PREDICT, RestVerb.CLASSIFY, RestVerb.REGRESS);
        viewModel.verbProperty().set(RestVerb.REGRESS);
        viewModel.send();
        assertThat(sent).extracting(RestCall::path).containsExactly("/v1/models/half_plus_two/versions/99:regress");
    }

    @Test
    void templateButtonPutsTheTemplateBack() throws IOException {
        viewModel.requestProperty().set("{}");
        viewModel.resetTemplate();
        assertThat(compact(viewModel.requestProperty().get())).isEqualTo("{\"instances\":[[0.0]]}");
    }

    // ---- sending and answers ----

    @Test
    void sendsTheBodyAsWrittenAndShowsStatusLatencyAnswerAndTable() {
        String body = "{\"instances\": [[1.0], [2.0], [5.0]]}";
        viewModel.requestProperty().set(body);
        viewModel.send();
        assertThat(sent).containsExactly(RestCall.post("/v1/models/half_plus_two:predict", body));
        assertThat(viewModel.statusProperty().get()).isEqualTo("HTTP 200 OK");
        assertThat(viewModel.outcomeProperty().get()).isEqualTo(PredictViewModel.Outcome.OK);
        assertThat(viewModel.latencyProperty().get()).isEqualTo("3.21 ms");
        assertThat(viewModel.responseProperty().get()).isEqualTo("{\n  \"predictions\": [[2.5], [3.0], [4.5]]\n}");
        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.busyProperty().get()).isFalse();
        ResponseTable table = viewModel.tableProperty().get();
        assertThat(table.columns()).containsExactly("#", "y");
        assertThat(table.rows()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
    }

    @Test
    void refusesMalformedJsonWithLineAndColumnAndSendsNothing() {
        viewModel.requestProperty().set("{\n  \"instances\": [1.0,]\n}");
        viewModel.send();
        assertThat(backend.calls).noneMatch(call -> call.startsWith("sendRest"));
        assertThat(viewModel.requestProblemProperty().get())
                .startsWith("Not sent: the request is not valid JSON. Line 2, column 21: ");
        assertThat(viewModel.history()).isEmpty();

        viewModel.requestProperty().set("[1, 2]");
        viewModel.send();
        assertThat(viewModel.requestProblemProperty().get()).contains("a request is a JSON object");
        viewModel.requestProperty().set("{\"instances\": [1]} trailing");
        viewModel.send();
        assertThat(viewModel.requestProblemProperty().get()).contains("Line 1, column");
        viewModel.requestProperty().set("   ");
        viewModel.send();
        assertThat(viewModel.requestProblemProperty().get()).contains("The document is empty");
        assertThat(backend.calls).noneMatch(call -> call.startsWith("sendRest"));

        viewModel.requestProperty().set("{\"instances\": [[1.0]]}");
        assertThat(viewModel.requestProblemProperty().get()).as("editing clears the message").isEmpty();
    }

    @Test
    void showsTfServingsErrorWithTheStatusCode() {
        backend.rest = call -> new RestReply(404,
                "{ \"error\": \"Servable not found for request: Specific(half_plus_two, 99)\" }", Duration.ofMillis(2));
        viewModel.versionProperty().set(VersionOption.number(99));
        viewModel.send();
        assertThat(viewModel.statusProperty().get()).isEqualTo("HTTP 404 Not Found");
        assertThat(viewModel.outcomeProperty().get()).isEqualTo(PredictViewModel.Outcome.ERROR);
        assertThat(viewModel.errorProperty().get())
                .isEqualTo("HTTP 404: Servable not found for request: Specific(half_plus_two, 99)");
        assertThat(viewModel.responseProperty().get()).contains("\"error\": \"Servable not found");
        assertThat(viewModel.tableProperty().get().isEmpty()).isTrue();
        assertThat(viewModel.history().get(0).status()).isEqualTo(404);
        assertThat(viewModel.history().get(0).ok()).isFalse();
    }

    @Test
    void showsANonJsonErrorBodyAndAFailedExchange() {
        backend.rest = call -> new RestReply(502, "Bad gateway", Duration.ofMillis(1));
        viewModel.send();
        assertThat(viewModel.errorProperty().get()).isEqualTo("HTTP 502: Bad gateway");
        assertThat(viewModel.responseProperty().get()).isEqualTo("Bad gateway");

        backend.failNext("Connection refused");
        viewModel.send();
        assertThat(viewModel.statusProperty().get()).isEqualTo("No answer");
        assertThat(viewModel.errorProperty().get()).isEqualTo("The request failed: Connection refused");
        assertThat(viewModel.history().get(0).statusText()).isEqualTo("no answer");
        assertThat(viewModel.busyProperty().get()).isFalse();
    }

    @Test
    void staysBusyUntilTheAnswerArrivesAndRefusesASecondSend() {
        CompletableFuture<RestReply> pending = new CompletableFuture<>();
        FakeBackend waiting = new FakeBackend() {
            @Override
            public CompletableFuture<RestReply> sendRest(RestCall call) {
                super.sendRest(call);
                return pending;
            }
        };
        waiting.models = backend.models;
        waiting.signatures = List.of(HALF_PLUS_TWO);
        PredictViewModel slow = new PredictViewModel(waiting, new DirectExecutor(), Clock.systemUTC());
        CompletableFuture<Void> first = slow.send();
        assertThat(slow.busyProperty().get()).isTrue();
        assertThat(slow.statusProperty().get()).isEqualTo("Sending…");
        slow.send();
        assertThat(waiting.calls).filteredOn(call -> call.startsWith("sendRest")).hasSize(1);
        pending.complete(new RestReply(200, "{\"predictions\": [2.5]}", Duration.ofMillis(1)));
        assertThat(first).isCompleted();
        assertThat(slow.busyProperty().get()).isFalse();
        assertThat(slow.tableProperty().get().rows()).containsExactly(List.of("0", "2.5"));
    }

    @Test
    void tableOfARowAnswerWithSeveralOutputsSplitsShortVectors() throws IOException {
        String answer = "{\"predictions\": [{\"classes\": 3, \"probabilities\": [0.1, 0.05, 0.05, 0.4, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]},"
                + " {\"classes\": 0, \"probabilities\": [0.91, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]}]}";
        ResponseTable table = ResponseTable.of(JSON.readTree(answer), List.of("classes", "probabilities"));
        assertThat(table.columns()).hasSize(12).startsWith("#", "classes", "probabilities[0]")
                .endsWith("probabilities[9]");
        assertThat(table.rows().get(0)).startsWith("0", "3", "0.1", "0.05");
        assertThat(table.rows().get(1)).startsWith("1", "0", "0.91");

        ResponseTable longVectors = ResponseTable.of(JSON.readTree("{\"predictions\": [[" + "0.5, ".repeat(99) + "0.5]]}"),
                List.of("embedding"));
        assertThat(longVectors.columns()).containsExactly("#", "embedding");
        assertThat(longVectors.cell(0, 1)).startsWith("[0.5, 0.5").endsWith("…").hasSize(ResponseTable.MAX_CELL_CHARS);
        assertThat(ResponseTable.of(JSON.readTree("{\"predictions\": [1, 2]}"), List.of()).columns())
                .containsExactly("#", "value");
    }

    @Test
    void tableOfAColumnarAnswerHasARowPerOutput() throws IOException {
        ResponseTable table = ResponseTable.of(JSON.readTree(
                "{\"outputs\": {\"y\": [[2.5], [3.0]], \"classes\": [1, 0], \"name\": \"a\"}}"), List.of("y"));
        assertThat(table.columns()).containsExactly("output", "shape", "values");
        assertThat(table.rows()).containsExactly(List.of("y", "[2, 1]", "[[2.5], [3.0]]"),
                List.of("classes", "[2]", "[1, 0]"), List.of("name", "[]", "a"));
        ResponseTable unnamed = ResponseTable.of(JSON.readTree("{\"outputs\": [[2.5]]}"), List.of("y"));
        assertThat(unnamed.rows()).containsExactly(List.of("y", "[1, 1]", "[[2.5]]"));
    }

    @Test
    void tableOfClassifyAndRegressAnswers() throws IOException {
        ResponseTable classes = ResponseTable.of(JSON.readTree(
                "{\"results\": [[[\"cat\", 0.8], [\"dog\", 0.2]], [[\"dog\", 0.6], [\"cat\", 0.4]]]}"), List.of());
        assertThat(classes.columns()).containsExactly("#", "class", "score");
        assertThat(classes.rows()).containsExactly(List.of("0", "cat", "0.8"), List.of("0", "dog", "0.2"),
                List.of("1", "dog", "0.6"), List.of("1", "cat", "0.4"));
        ResponseTable values = ResponseTable.of(JSON.readTree("{\"result\": [3.5, 4.0]}"), List.of());
        assertThat(values.rows()).containsExactly(List.of("0", "3.5"), List.of("1", "4.0"));
    }

    // ---- editor tools and history ----

    @Test
    void reformatsTheRequestOrSaysWhyItCannot() {
        viewModel.requestProperty().set("{\"signature_name\":\"serving_default\",\"instances\":[[1.0],[2.0]]}");
        viewModel.reformat();
        assertThat(viewModel.requestProperty().get())
                .isEqualTo("{\n  \"signature_name\": \"serving_default\",\n  \"instances\": [[1.0], [2.0]]\n}");
        viewModel.requestProperty().set("{\"instances\": [[1.0]");
        viewModel.reformat();
        assertThat(viewModel.requestProperty().get()).isEqualTo("{\"instances\": [[1.0]");
        assertThat(viewModel.requestProblemProperty().get()).contains("Line 1");
    }

    @Test
    void laysOutAnswersWithEachVectorOnOneLine() throws IOException {
        String answer = "{\"predictions\":[{\"classes\":0,\"probabilities\":[0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1]}]}";
        assertThat(JsonText.layout(JSON.readTree(answer))).isEqualTo("""
                {
                  "predictions": [
                    {
                      "classes": 0,
                      "probabilities": [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
                    }
                  ]
                }""");
    }

    @Test
    void buildsACurlCommandWithTheBodySafelyQuoted() throws Exception {
        viewModel.requestProperty().set("{\n  \"instances\": [\"it's\", \"a 'quoted' word\"]\n}");
        viewModel.versionProperty().set(VersionOption.number(2));
        String command = viewModel.curlCommand().orElseThrow();
        assertThat(command).isEqualTo("curl -s -X POST -H 'Content-Type: application/json' -d "
                + "'{\"instances\":[\"it'\\''s\",\"a '\\''quoted'\\'' word\"]}' "
                + "http://127.0.0.1:8501/v1/models/half_plus_two/versions/2:predict");
        assertThat(viewModel.noticeProperty().get()).contains("Copied");
        // A real shell reads the quoted body back exactly.
        String body = "{\"instances\":[\"it's\", \"$HOME `x` \\\\ \\\"q\\\"\"]}";
        Process shell = new ProcessBuilder("sh", "-c", "printf %s " + CurlCommand.quote(body)).start();
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void noCurlCommandWhileTheServerDoesNotServeRest() {
        backend.state = ServerStatus.State.STOPPED;
        assertThat(viewModel.curlCommand()).isEmpty();
        assertThat(viewModel.noticeProperty().get()).contains("does not serve REST");
    }

    @Test
    void keepsTheLast50RequestsNewestFirst() {
        for (int i = 0; i < 55; i++) {
            viewModel.requestProperty().set("{\"instances\": [[" + i + ".0]]}");
            viewModel.send();
        }
        assertThat(viewModel.history()).hasSize(PredictViewModel.HISTORY_LIMIT);
        HistoryEntry newest = viewModel.history().get(0);
        assertThat(newest.body()).isEqualTo("{\"instances\": [[54.0]]}");
        assertThat(viewModel.history().get(49).body()).isEqualTo("{\"instances\": [[5.0]]}");
        assertThat(newest).isEqualTo(new HistoryEntry(NOW, "half_plus_two", VersionOption.LATEST, "serving_default",
                RestVerb.PREDICT, "{\"instances\": [[54.0]]}", 200, Duration.ofNanos(3_214_567)));
        assertThat(newest.summary(ZoneOffset.UTC))
                .isEqualTo("10:15:30  200  3.21 ms  half_plus_two latest serving_default :predict");
    }

    @Test
    void restoringAnEntryPutsBackModelVersionSignatureAndBody() {
        viewModel.versionProperty().set(VersionOption.label("stable"));
        viewModel.requestProperty().set("{\"instances\": [[1.0], [2.0]]}");
        viewModel.send();
        HistoryEntry entry = viewModel.history().get(0);

        viewModel.modelProperty().set("mlp");
        assertThat(viewModel.requestProperty().get()).contains("0.0, 0.0");
        viewModel.restore(entry);
        assertThat(viewModel.modelProperty().get()).isEqualTo("half_plus_two");
        assertThat(viewModel.versionProperty().get()).isEqualTo(VersionOption.label("stable"));
        assertThat(viewModel.signatureProperty().get()).isEqualTo(HALF_PLUS_TWO);
        assertThat(viewModel.requestProperty().get()).isEqualTo("{\"instances\": [[1.0], [2.0]]}");
        assertThat(backend.calls).filteredOn(call -> call.startsWith("signatures half_plus_two Label"))
                .as("one read for the restored choice, not one per property").hasSize(2);

        // Same model and version: the body still comes back.
        viewModel.requestProperty().set("{}");
        viewModel.restore(entry);
        assertThat(viewModel.requestProperty().get()).isEqualTo("{\"instances\": [[1.0], [2.0]]}");
    }

    @Test
    void restoringWaitsForSignaturesThatArriveLater() {
        List<CompletableFuture<List<SignatureInfo>>> reads = new ArrayList<>();
        FakeBackend later = new FakeBackend() {
            @Override
            public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
                super.signatures(model, version);
                CompletableFuture<List<SignatureInfo>> read = new CompletableFuture<>();
                reads.add(read);
                return read;
            }
        };
        later.models = backend.models;
        PredictViewModel delayed = new PredictViewModel(later, new DirectExecutor(), Clock.systemUTC());
        reads.get(0).complete(List.of(HALF_PLUS_TWO));
        HistoryEntry entry = new HistoryEntry(NOW, "mlp", VersionOption.LATEST, "serving_default", RestVerb.PREDICT,
                "{\"instances\": [[1]]}", 200, Duration.ZERO);
        delayed.restore(entry);
        assertThat(reads).hasSize(2);
        reads.get(1).complete(List.of(MLP));
        assertThat(delayed.signatureProperty().get()).isEqualTo(MLP);
        assertThat(delayed.requestProperty().get()).isEqualTo("{\"instances\": [[1]]}");
    }

    @Test
    void anAnswerArrivingWhileSignaturesAreReadAgainStillNamesItsOutput() {
        List<CompletableFuture<List<SignatureInfo>>> reads = new ArrayList<>();
        FakeBackend later = new FakeBackend() {
            @Override
            public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
                super.signatures(model, version);
                CompletableFuture<List<SignatureInfo>> read = new CompletableFuture<>();
                reads.add(read);
                return read;
            }
        };
        later.models = backend.models;
        later.state = ServerStatus.State.RUNNING;
        later.rest = call -> new RestReply(200, "{\"predictions\": [[2.5]]}", Duration.ofMillis(1));
        PredictViewModel delayed = new PredictViewModel(later, new DirectExecutor(), Clock.systemUTC());
        reads.get(0).complete(List.of(HALF_PLUS_TWO));
        delayed.send();
        assertThat(delayed.tableProperty().get().columns()).containsExactly("#", "y");

        delayed.resend(delayed.history().get(0)); // reads the signatures again: still pending when the answer comes
        assertThat(reads.get(reads.size() - 1)).isNotDone();
        assertThat(delayed.tableProperty().get().columns()).containsExactly("#", "y");
    }

    @Test
    void resendingAnEntrySendsItAsItWas() {
        viewModel.requestProperty().set("{\"instances\": [[1.0]]}");
        viewModel.send();
        HistoryEntry entry = viewModel.history().get(0);
        viewModel.modelProperty().set("mlp");
        viewModel.resend(entry);
        assertThat(sent).extracting(RestCall::path)
                .containsExactly("/v1/models/half_plus_two:predict", "/v1/models/half_plus_two:predict");
        assertThat(sent.get(1).body()).isEqualTo("{\"instances\": [[1.0]]}");
        assertThat(viewModel.history()).hasSize(2);
        assertThat(viewModel.modelProperty().get()).isEqualTo("half_plus_two");
    }

    @Test
    void stopsListeningWhenClosed() {
        viewModel.close();
        backend.models = List.of(model("other", Map.of(), 1));
        backend.fireModelsChanged();
        assertThat(viewModel.models()).containsExactly("half_plus_two", "mlp");
    }

    // ---- helpers ----

    private static String compact(String json) throws IOException {
        return JSON.readTree(json).toString();
    }

    private static SignatureInfo predict(String name, List<TensorInfo> inputs, List<TensorInfo> outputs) {
        return new SignatureInfo(name, "tensorflow/serving/predict", inputs, outputs);
    }

    private static TensorInfo anyShape(String name) {
        return new TensorInfo(name, "FLOAT", List.of(), true);
    }

    private static TensorInfo tensor(String name, String dtype, long... dims) {
        return new TensorInfo(name, dtype, Arrays.stream(dims).boxed().toList(), false);
    }

    private static ModelEntry model(String name, Map<String, Long> labels, long... versions) {
        return FakeBackend.model(name, new ServableVersionPolicy.Latest(1), labels, Arrays.stream(versions)
                .mapToObj(v -> new VersionEntry(v, ManagerState.AVAILABLE, "", NOW)).toList());
    }
}
