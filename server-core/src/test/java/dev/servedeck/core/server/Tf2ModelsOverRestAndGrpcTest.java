package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Int64Value;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.tensorflow.Tf2Models;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.HttpJsonClient.Reply;
import dev.servedeck.core.testing.JsonTensors;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.Input;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.apis.RegressionRequest;
import dev.servedeck.proto.apis.ExampleList;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;

/**
 * TensorFlow 2 SavedModels through the whole server: TF Serving's TF2 half_plus_two, TensorFlow Java's
 * Python-written model and the TF2-style models of {@link Tf2Models}, over real HTTP and real gRPC (Netty on
 * 127.0.0.1), each answer checked on a server without batching and on one with batching.
 */
class Tf2ModelsOverRestAndGrpcTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path models;
    private static final List<Endpoint> ENDPOINTS = new ArrayList<>();

    /** One running server and its clients. */
    private record Endpoint(String name, ModelServer server, HttpJsonClient rest, ManagedChannel channel) {

        PredictionServiceGrpc.PredictionServiceBlockingStub grpc() {
            return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Tf2Models.writeDense(models.resolve("dense"), 1);
        Tf2Models.writeMultiIo(models.resolve("multi"), 1);
        Tf2Models.writeVocabulary(models.resolve("vocabulary"), 1);
        Tf2Models.writeUnknownRank(models.resolve("unknown"), 1);
        String config = """
                model_config_list {
                  config { name: "hp2" base_path: "%s" }
                  config { name: "py" base_path: "%s" }
                  config { name: "dense" base_path: "%s/dense" }
                  config { name: "multi" base_path: "%s/multi" }
                  config { name: "vocabulary" base_path: "%s/vocabulary" }
                  config { name: "unknown" base_path: "%s/unknown" }
                }
                """.formatted(TfServingTestData.model("saved_model_half_plus_two_tf2_cpu"),
                TfServingTestData.tfJavaModel("saved_model_using_python"), models, models, models, models);
        ServerCoreOptions plain = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO);
        ServerCoreOptions batching = plain.withBatching(BatchingConfig.enabled(BatchingParametersFile.parse("""
                max_batch_size { value: 8 }
                batch_timeout_micros { value: 2000 }
                max_enqueued_batches { value: 100 }
                num_batch_threads { value: 2 }
                """, "test")));
        ENDPOINTS.add(start("without batching", plain, config));
        ENDPOINTS.add(start("with batching", batching, config));
    }

    private static Endpoint start(String name, ServerCoreOptions core, String config) {
        ModelServer server = ModelServer.start(new ModelServerOptions(core,
                        Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(4)), Optional.empty(),
                        Duration.ZERO),
                ModelServerConfigFile.parse(config, "test config"));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow())
                .usePlaintext().build();
        return new Endpoint(name, server, new HttpJsonClient(server.restPort().orElseThrow()), channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Endpoint endpoint : ENDPOINTS) {
            endpoint.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            endpoint.server().close();
        }
        ENDPOINTS.clear();
    }

    static Stream<Endpoint> endpoints() {
        return ENDPOINTS.stream();
    }

    /**
     * A Predict call: the REST body and TF Serving's answer to it; the same inputs (columnar JSON with the
     * dtype of each) go over gRPC, whose outputs must hold the same values.
     */
    private record Call(String model, String restBody, String expected, Map<String, DataType> dtypes) {
    }

    static Stream<Arguments> calls() {
        Map<String, DataType> floatX = Map.of("x", DataType.DT_FLOAT);
        List<Call> calls = List.of(
                // TF Serving's TF2 half_plus_two: the answers of its REST tests (testdata README).
                new Call("hp2", "{\"instances\": [2.0, 3.0, 4.0]}", "{\"predictions\": [3.0, 3.5, 4.0]}", floatX),
                new Call("hp2", "{\"inputs\": [2.0, 3.0, 4.0]}", "{\"outputs\": [3.0, 3.5, 4.0]}", floatX),
                new Call("hp2", "{\"signature_name\": \"regress_x2_to_y3\", \"inputs\": [2.0]}",
                        "{\"outputs\": [4.0]}", Map.of("inputs", DataType.DT_FLOAT)),
                // TensorFlow Java's Python-written model: five signatures, unknown rank, no serving_default.
                new Call("py", "{\"signature_name\": \"add\", \"inputs\": {\"a\": [1.0, 2.0], \"b\": [10.0, 20.0]}}",
                        "{\"outputs\": [11.0, 22.0]}", Map.of("a", DataType.DT_FLOAT, "b", DataType.DT_FLOAT)),
                new Call("py", "{\"signature_name\": \"get_variable\", \"inputs\": {\"dummy\": 0.0}}",
                        "{\"outputs\": 2.0}", Map.of("dummy", DataType.DT_FLOAT)),
                new Call("py", "{\"signature_name\": \"get_const_scalar\", \"inputs\": {\"input\": [1.0, 2.0]}}",
                        "{\"outputs\": [1.0, 2.0]}", Map.of("input", DataType.DT_FLOAT)),
                new Call("py", "{\"signature_name\": \"get_const_vector\", \"inputs\": {\"input\": 5.0}}",
                        "{\"outputs\": [5.0, 5.0, 5.0]}", Map.of("input", DataType.DT_FLOAT)),
                new Call("py", "{\"signature_name\": \"get_const_matrix\", \"inputs\": {\"input\": [1.0, 2.0, 3.0]}}",
                        "{\"outputs\": [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]}", Map.of("input", DataType.DT_FLOAT)),
                // A Keras dense layer, both of model.export()'s signatures.
                new Call("dense", "{\"instances\": [[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0]]}",
                        "{\"predictions\": [" + dense(1f, 2f, 3f, 4f) + ", " + dense(0f, 0f, 0f, 0f) + "]}",
                        Map.of("inputs", DataType.DT_FLOAT)),
                new Call("dense", "{\"signature_name\": \"serve\", \"inputs\": {\"inputs\": [[1.0, 0.0, 0.0, 0.0]]}}",
                        "{\"outputs\": [" + dense(1f, 0f, 0f, 0f) + "]}", Map.of("inputs", DataType.DT_FLOAT)),
                // Several inputs and outputs: float, int64 ids, strings; row and columnar forms.
                new Call("multi", """
                        {"instances": [{"features": [1.0, 2.0, 3.0], "ids": 41, "text": "ab"},
                                       {"features": [0.5, 0.0, 0.0], "ids": 9000000000, "text": "héllo"}]}""", """
                        {"predictions": [{"weighted": 321.0, "next_ids": 42, "text_length": 2, "shout": "AB"},
                                         {"weighted": 0.5, "next_ids": 9000000001, "text_length": 6, "shout": "HéLLO"}]}""",
                        MULTI_DTYPES),
                new Call("multi", """
                        {"inputs": {"features": [[0.0, 1.0, 0.0]], "ids": [7], "text": ["x"]}}""", """
                        {"outputs": {"weighted": [10.0], "next_ids": [8], "text_length": [1], "shout": ["X"]}}""",
                        MULTI_DTYPES),
                // A vocabulary table filled from an asset by __saved_model_init_op.
                new Call("vocabulary", "{\"instances\": [\"cherry\", \"apple\", \"durian\"]}",
                        "{\"predictions\": [2, 0, -1]}", Map.of("words", DataType.DT_STRING)),
                // Unknown rank, a default left out, a default given, scalars.
                new Call("unknown", "{\"signature_name\": \"scale\", \"inputs\": {\"x\": [[1.0, 2.0], [3.0, 4.0]]}}",
                        "{\"outputs\": [[2.0, 4.0], [6.0, 8.0]]}", Map.of("x", DataType.DT_FLOAT)),
                new Call("unknown", "{\"signature_name\": \"scale\", \"inputs\": {\"x\": 3.0, \"factor\": 10.0}}",
                        "{\"outputs\": 30.0}", Map.of("x", DataType.DT_FLOAT, "factor", DataType.DT_FLOAT)),
                new Call("unknown", "{\"signature_name\": \"scale\", \"inputs\": [1.5, 2.5]}",
                        "{\"outputs\": [3.0, 5.0]}", Map.of("x", DataType.DT_FLOAT)),
                new Call("unknown", "{\"signature_name\": \"total\", \"inputs\": {\"values\": [[1.0, 2.0, 3.0], "
                        + "[4.0, 5.0, 6.0]]}}", "{\"outputs\": {\"sum\": 21.0, \"count\": 6}}",
                        Map.of("values", DataType.DT_FLOAT)));
        return ENDPOINTS.stream().flatMap(endpoint -> calls.stream().map(call -> Arguments.of(endpoint, call)));
    }

    private static final Map<String, DataType> MULTI_DTYPES = Map.of("features", DataType.DT_FLOAT,
            "ids", DataType.DT_INT64, "text", DataType.DT_STRING);

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("calls")
    void restAndGrpcGiveTfServingsAnswer(Endpoint endpoint, Call call) throws Exception {
        Reply reply = endpoint.rest().post("/v1/models/" + call.model() + ":predict", call.restBody());
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        JsonNode expected = JSON.readTree(call.expected());
        JsonTensors.assertClose(reply.body(), expected);

        PredictResponse response = endpoint.grpc().predict(grpcRequest(call));
        JsonNode expectedOutputs = expected.has("outputs") ? expected.get("outputs") : columns(expected.get("predictions"));
        if (response.getOutputsCount() == 1 && !expectedOutputs.isObject()) {
            JsonTensors.assertClose(JsonTensors.toJson(response.getOutputsMap().values().iterator().next()),
                    expectedOutputs);
        } else {
            assertThat(response.getOutputsMap().keySet()).containsExactlyInAnyOrderElementsOf(
                    () -> expectedOutputs.fieldNames());
            response.getOutputsMap().forEach((alias, tensor) ->
                    JsonTensors.assertClose(JsonTensors.toJson(tensor), expectedOutputs.get(alias)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void classifyAndRegressOnSignaturesWhoseMethodIsPredict(Endpoint endpoint) {
        Reply classify = endpoint.rest().post("/v1/models/hp2:classify",
                "{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        assertThat(classify.body()).isEqualTo(HttpJsonClient.parse("{\"results\": [[[\"\", 3.0]]]}"));
        Reply regress = endpoint.rest().post("/v1/models/hp2:regress",
                "{\"signature_name\": \"regress_x_to_y\", \"examples\": [{\"x\": 2.0}, {\"x\": 4.0}]}");
        assertThat(regress.body()).isEqualTo(HttpJsonClient.parse("{\"results\": [3.0, 4.0]}"));

        ModelSpec classifySpec = ModelSpec.newBuilder().setName("hp2").setSignatureName("classify_x_to_y").build();
        var classified = endpoint.grpc().classify(ClassificationRequest.newBuilder().setModelSpec(classifySpec)
                .setInput(examples(2f)).build());
        assertThat(classified.getResult().getClassifications(0).getClasses(0).getScore()).isEqualTo(3f);
        assertThat(classified.getModelSpec().getVersion()).isEqualTo(Int64Value.of(123));
        var regressed = endpoint.grpc().regress(RegressionRequest.newBuilder()
                .setModelSpec(classifySpec.toBuilder().setSignatureName("regress_x_to_y"))
                .setInput(examples(2f, 4f)).build());
        assertThat(regressed.getResult().getRegressionsList()).extracting(r -> r.getValue()).containsExactly(3f, 4f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void metadataListsSignaturesButNeverTheInitOp(Endpoint endpoint) {
        Reply hp2 = endpoint.rest().get("/v1/models/hp2/metadata");
        JsonNode signatures = hp2.body().path("metadata").path("signature_def").path("signature_def");
        assertThat(signatures.fieldNames()).toIterable().containsExactlyInAnyOrder("classify_x2_to_y3",
                "classify_x_to_y", "regress_x2_to_y3", "regress_x_to_y", "regress_x_to_y2", "serving_default");

        Reply py = endpoint.rest().get("/v1/models/py/metadata");
        JsonNode add = py.body().path("metadata").path("signature_def").path("signature_def").path("add");
        assertThat(add.path("inputs").path("a").path("tensor_shape").path("unknown_rank").asBoolean()).isTrue();
        assertThat(add.path("method_name").asText()).isEqualTo("tensorflow/serving/predict");
        assertThat(py.body().path("metadata").path("signature_def").path("signature_def").has("__saved_model_init_op"))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void withoutServingDefaultTheErrorNamesTheSignatures(Endpoint endpoint) {
        Reply reply = endpoint.rest().post("/v1/models/py:predict", "{\"inputs\": {\"a\": 1.0, \"b\": 2.0}}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("Serving signature key \"serving_default\" not found. Signatures of this "
                + "model: add, get_const_matrix, get_const_scalar, get_const_vector, get_variable.");
    }

    @Test
    void concurrentTf2RequestsShareBatchesAndEachGetsItsOwnAnswer() throws Exception {
        Endpoint batched = ENDPOINTS.get(1);
        long batchesBefore = batched.server().core().batchingStats().batches();
        long rowsBefore = batched.server().core().batchingStats().rows();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                float v = i;
                answers.add(CompletableFuture.runAsync(() -> {
                    Reply reply = batched.rest().post("/v1/models/dense:predict",
                            "{\"instances\": [[" + v + ", 1.0, 0.0, 0.0]]}");
                    JsonTensors.assertClose(reply.body(),
                            HttpJsonClient.parse("{\"predictions\": [" + dense(v, 1f, 0f, 0f) + "]}"));
                    PredictResponse multi = batched.grpc().predict(PredictRequest.newBuilder()
                            .setModelSpec(ModelSpec.newBuilder().setName("multi"))
                            .putInputs("features", JsonTensors.toProto(HttpJsonClient.parse("[[" + v + ", 0.0, 0.0]]"),
                                    DataType.DT_FLOAT))
                            .putInputs("ids", JsonTensors.toProto(HttpJsonClient.parse("[" + (long) v + "]"),
                                    DataType.DT_INT64))
                            .putInputs("text", JsonTensors.toProto(HttpJsonClient.parse("[\"r" + (long) v + "\"]"),
                                    DataType.DT_STRING))
                            .build());
                    JsonTensors.assertClose(JsonTensors.toJson(multi.getOutputsOrThrow("next_ids")),
                            HttpJsonClient.parse("[" + ((long) v + 1) + "]"));
                    JsonTensors.assertClose(JsonTensors.toJson(multi.getOutputsOrThrow("shout")),
                            HttpJsonClient.parse("[\"R" + (long) v + "\"]"));
                }, clients));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
        }
        var stats = batched.server().core().batchingStats();
        // 128 one-row requests: if TF2 signatures were not batchable, no batch would have run.
        assertThat(stats.batches()).isGreaterThan(batchesBefore);
        assertThat(stats.rows() - rowsBefore).isEqualTo(128);
        assertThat(stats.batches() - batchesBefore).isLessThan(128);
    }

    private static PredictRequest grpcRequest(Call call) throws Exception {
        JsonNode body = JSON.readTree(call.restBody());
        PredictRequest.Builder request = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
                .setName(call.model()).setSignatureName(body.path("signature_name").asText("")));
        JsonNode inputs = body.has("inputs") ? body.get("inputs") : columns(body.get("instances"));
        if (inputs.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> input = it.next();
                request.putInputs(input.getKey(), JsonTensors.toProto(input.getValue(), call.dtypes().get(input.getKey())));
            }
        } else {
            String alias = call.dtypes().keySet().iterator().next();
            request.putInputs(alias, JsonTensors.toProto(inputs, call.dtypes().get(alias)));
        }
        return request.build();
    }

    /** Row format to columnar: a list of objects becomes an object of lists; a plain list stays as it is. */
    private static JsonNode columns(JsonNode rows) {
        if (!rows.isArray() || rows.isEmpty() || !rows.get(0).isObject()) {
            return rows;
        }
        var columns = JSON.createObjectNode();
        rows.get(0).fieldNames().forEachRemaining(name -> {
            var column = columns.putArray(name);
            rows.forEach(row -> column.add(row.get(name)));
        });
        return columns;
    }

    private static Input examples(float... xs) {
        ExampleList.Builder list = ExampleList.newBuilder();
        for (float x : xs) {
            list.addExamples(Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
                    Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(x)).build())));
        }
        return Input.newBuilder().setExampleList(list).build();
    }

    /** The dense layer's answer for one row, as a JSON array. */
    private static String dense(float... x) {
        float[] out = new float[3];
        for (int j = 0; j < 3; j++) {
            out[j] = Tf2Models.BIAS[j];
            for (int i = 0; i < 4; i++) {
                out[j] += x[i] * Tf2Models.KERNEL[i][j];
            }
        }
        return "[" + out[0] + ", " + out[1] + ", " + out[2] + "]";
    }
}
