package dev.servedeck.core.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.loadgen.body.BinaryInferBody;
import dev.servedeck.core.loadgen.body.JsonInferRequest;
import dev.servedeck.core.loadgen.body.PredictBodyRows;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.grpc.GrpcLoadTarget;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.Signatures;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import dev.servedeck.proto.inference.ModelInferRequest;
import dev.servedeck.proto.inference.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load engine driving the Open Inference Protocol against a real server (TF Serving's half_plus_two): v2 REST
 * JSON and gRPC ModelInfer with the body built from the signature, answers counted by status, rows counted.
 */
class OpenInferenceLoadTest {

    private static final String V2_BODY =
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}";
    private static HalfPlusTwoServer server;
    private static List<SignatureInfo> signatures;

    @BeforeAll
    static void start() throws Exception {
        server = new HalfPlusTwoServer();
        signatures = Signatures.describe(endpoint().signatureDefs("half_plus_two", null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static GrpcEndpoint endpoint() {
        return new GrpcEndpoint("127.0.0.1", server.grpcPort(), null, null);
    }

    private static LoadResult run(LoadTarget target, LoadPlan plan) throws Exception {
        return LoadRun.start(target, plan).result().get(60, TimeUnit.SECONDS);
    }

    private static RestLoadTarget rest(String path, String body) throws Exception {
        return RestLoadTarget.create(URI.create("http://127.0.0.1:" + server.restPort() + path),
                body.getBytes(StandardCharsets.UTF_8), null, null, 1, PredictBodyRows.of(body));
    }

    @Test
    void theV2BodyFromTheSignatureIsTheV1BodysTensors() {
        assertThat(LoadRequestBody.inferBody(signatures)).isEqualTo(V2_BODY);
        assertThat(PredictBodyRows.of(V2_BODY)).isEqualTo(3);
    }

    @Test
    void restV2InferRequestsAllSucceedAndCountRows() throws Exception {
        String body = LoadRequestBody.inferBody(signatures);
        // The body answers what the protocol says before it is used for load.
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.restPort() + "/v2/models/half_plus_two/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode output = new ObjectMapper().readTree(answer.body()).at("/outputs/0");
        assertThat(output.get("data").toString()).isEqualTo("[2.5,3.0,4.5]");

        LoadResult result = run(rest("/v2/models/half_plus_two/infer", body),
                LoadPlan.closedLoop(4, Duration.ofSeconds(1)).withRequests(400).withWarmUp(Duration.ofMillis(100)));

        assertThat(result.sent()).isEqualTo(400);
        assertThat(result.answered()).isEqualTo(400);
        assertThat(result.statuses()).isEqualTo(Map.of("200", 400L));
        assertThat(result.errors()).isEmpty();
        assertThat(result.rowsPerRequest()).isEqualTo(3);
        assertThat(result.rowsPerSecond()).isPositive();
    }

    @Test
    void restV2WithBinaryTensorsSendsAndAsksForBytes() throws Exception {
        BinaryInferBody body = BinaryInferBody.of(V2_BODY);
        String json = new String(body.bytes(), 0, body.jsonLength(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":12}}],\"parameters\":{\"binary_data_output\":true}}");
        assertThat(body.bytes()).hasSize(body.jsonLength() + 12);
        URI infer = URI.create("http://127.0.0.1:" + server.restPort() + "/v2/models/half_plus_two/infer");
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(infer)
                .header(BinaryInferBody.HEADER_LENGTH, Integer.toString(body.jsonLength()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        int answerJson = Integer.parseInt(answer.headers().firstValue(BinaryInferBody.HEADER_LENGTH).orElseThrow());
        ByteBuffer raw = ByteBuffer.wrap(answer.body(), answerJson, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {raw.getFloat(), raw.getFloat(), raw.getFloat()}).containsExactly(2.5f, 3f, 4.5f);

        LoadResult result = run(RestLoadTarget.create(infer, body.bytes(), "application/octet-stream",
                Map.of(BinaryInferBody.HEADER_LENGTH, Integer.toString(body.jsonLength())), null, null, 1, 3),
                LoadPlan.closedLoop(4, Duration.ofSeconds(1)).withRequests(300));

        assertThat(result.statuses()).isEqualTo(Map.of("200", 300L));
        assertThat(result.rowsPerSecond()).isPositive();
    }

    @Test
    void grpcModelInferCallsWithRawInputsAllSucceed() throws Exception {
        ModelInferRequest request = JsonInferRequest.of(LoadRequestBody.inferBody(signatures), "half_plus_two", "");
        // The packed request answers as the protocol says (read with a stub, not by the engine, which skips answers).
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            ModelInferResponse answer = GRPCInferenceServiceGrpc.newBlockingStub(channel).modelInfer(request);
            ByteBuffer raw = answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new float[] {raw.getFloat(), raw.getFloat(), raw.getFloat()}).containsExactly(2.5f, 3f, 4.5f);
        } finally {
            channel.shutdownNow();
        }

        GrpcLoadTarget target = GrpcLoadTarget.create(endpoint(), request, 1, 3);
        assertThat(target.describe()).contains("ModelInfer");
        LoadResult result = run(target, LoadPlan.closedLoop(8, Duration.ofSeconds(1)).withRequests(400));

        assertThat(result.answered()).isEqualTo(400);
        assertThat(result.statuses()).isEqualTo(Map.of("OK", 400L));
        assertThat(result.errors()).isEmpty();
        assertThat(result.rowsPerSecond()).isPositive();
    }

    @Test
    void aVersionAndTheSignatureParameterReachTheServer() throws Exception {
        String body = "{\"parameters\":{\"signature_name\":\"serving_default\"}," + V2_BODY.substring(1);
        ModelInferRequest request = JsonInferRequest.of(body, "half_plus_two", "123");
        assertThat(request.getParametersMap().get("signature_name").getStringParam()).isEqualTo("serving_default");

        LoadResult ok = run(GrpcLoadTarget.create(endpoint(), request, 1, 3),
                LoadPlan.closedLoop(2, Duration.ofSeconds(1)).withRequests(20));
        LoadResult missing = run(GrpcLoadTarget.create(endpoint(), JsonInferRequest.of(body, "half_plus_two", "7"), 1, 3),
                LoadPlan.closedLoop(2, Duration.ofSeconds(1)).withRequests(20));

        assertThat(ok.statuses()).isEqualTo(Map.of("OK", 20L));
        assertThat(missing.errors()).isEqualTo(Map.of("NOT_FOUND", 20L));
    }

    @Test
    void aShapeTheValuesDoNotFillIsCountedAsTheServersError() throws Exception {
        String badShape = V2_BODY.replace("[3,1]", "[4,1]");

        LoadResult result = run(rest("/v2/models/half_plus_two/infer", badShape),
                LoadPlan.closedLoop(2, Duration.ofSeconds(1)).withRequests(30));

        assertThat(result.errors()).isEqualTo(Map.of("400", 30L));
        assertThat(result.rowsPerSecond()).isZero();
        // Over gRPC the engine packs the values itself, with the server's rule: refused before any load.
        assertThatThrownBy(() -> JsonInferRequest.of(badShape, "half_plus_two", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input 'x' has 3 values, but its shape [4,1] holds 4");
    }
}
