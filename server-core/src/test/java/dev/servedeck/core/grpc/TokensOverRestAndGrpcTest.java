package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.classify;
import static dev.servedeck.core.grpc.GrpcTestRequests.examples;
import static dev.servedeck.core.grpc.GrpcTestRequests.floatContent;
import static dev.servedeck.core.grpc.GrpcTestRequests.floats;
import static dev.servedeck.core.grpc.GrpcTestRequests.predict;
import static dev.servedeck.core.grpc.GrpcTestRequests.regress;
import static dev.servedeck.core.grpc.GrpcTestRequests.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.inference.MultiInferenceTasks;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.GetModelMetadataRequest;
import dev.servedeck.proto.apis.GetModelStatusRequest;
import dev.servedeck.proto.apis.InferenceTask;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.apis.ReloadConfigRequest;
import dev.servedeck.proto.config.ModelServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens with scopes on the whole server, real TensorFlow on TF Serving's half_plus_two, real HTTP and
 * real gRPC over Netty on 127.0.0.1: every case of 401/UNAUTHENTICATED and 403/PERMISSION_DENIED on both APIs,
 * the open paths, and the token file edited while the server runs.
 */
class TokensOverRestAndGrpcTest {

    private static final String PREDICTOR = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String ADMIN = "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3";
    private static final String SCRAPER = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
    private static final String UNKNOWN = "0000000000000000000000000000000000000000000000000000000000000000";
    private static final String METRICS = "/monitoring/prometheus/metrics";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Path dir;
    private static Path tokens;
    private static ModelServer server;
    private static ManagedChannel channel;
    private static ModelServerConfig config;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("servedeck-tokens");
        tokens = Files.writeString(dir.resolve("tokens.txt"), """
                # who may do what
                %s predict
                %s admin
                %s metrics
                """.formatted(PREDICTOR, ADMIN, SCRAPER));
        config = ModelServerConfigFile.parse("""
                model_config_list { config { name: "default" base_path: "%s/saved_model_half_plus_two_cpu" } }
                """.formatted(TfServingTestData.root()), "test config");
        ModelServerOptions options = new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(
                Duration.ZERO), Optional.of(RestOptions.defaults().withNumThreads(4)),
                Optional.of(GrpcOptions.defaults().withMaxThreads(4)), Optional.empty(), Duration.ZERO,
                MonitoringOptions.defaults().withPrometheusPath(METRICS), Optional.empty(),
                AuthOptions.none().withTokensFile(tokens).withTokensFileCheckInterval(Duration.ofMillis(50)));
        server = ModelServer.start(options, config);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    // ---- REST ----

    @Test
    void restWithoutATokenIs401ForEveryModelPathAndTheMetrics() {
        for (HttpResponse<String> response : List.of(restPredict(null), get("/v1/models/default", null),
                get("/v1/models/default/metadata", null), post("/v1/models/default:regress",
                        "{\"signature_name\": \"regress_x_to_y\", \"examples\": [{\"x\": 2.0}]}", null),
                get(METRICS, null))) {
            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ServeDeck\"");
            assertThat(error(response)).startsWith("Authentication required");
        }
    }

    @Test
    void restWithAnUnknownTokenIs401() {
        HttpResponse<String> response = restPredict(UNKNOWN);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"ServeDeck\", error=\"invalid_token\"");
        assertThat(error(response)).isEqualTo("Authentication failed: the bearer token is not valid");
    }

    @Test
    void restWithAPredictTokenServesModelsButNotTheMetrics() throws Exception {
        HttpResponse<String> predicted = restPredict(PREDICTOR);
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(JSON.readTree(predicted.body())).isEqualTo(JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
        assertThat(get("/v1/models/default", PREDICTOR).statusCode()).isEqualTo(200);
        assertThat(get("/v1/models/default/metadata", PREDICTOR).statusCode()).isEqualTo(200);
        assertThat(post("/v1/models/default:classify",
                "{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}", PREDICTOR).statusCode())
                .isEqualTo(200);

        HttpResponse<String> metrics = get(METRICS, PREDICTOR);
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(metrics.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"ServeDeck\", error=\"insufficient_scope\", scope=\"metrics\"");
        assertThat(error(metrics)).isEqualTo(
                "Permission denied: the Prometheus metrics path needs a token with the 'metrics' scope");
    }

    @Test
    void restMetricsNeedTheMetricsScopeAndItServesNothingElse() {
        HttpResponse<String> scraped = get(METRICS, SCRAPER);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains(":tensorflow:cc:saved_model:load_attempt_count");

        HttpResponse<String> predict = restPredict(SCRAPER);
        assertThat(predict.statusCode()).isEqualTo(403);
        assertThat(error(predict)).isEqualTo("Permission denied: Predict needs a token with the 'predict' scope");
        assertThat(restPredict(ADMIN).statusCode()).as("admin does not imply predict").isEqualTo(403);
    }

    @Test
    void restHealthIsOpen() throws Exception {
        HttpResponse<String> health = get("/v1/health", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ready");
    }

    // ---- gRPC ----

    @Test
    void grpcWithoutATokenIsUnauthenticatedForEveryMethod() {
        for (ThrowingCallable call : everyGrpcMethod(null)) {
            assertStatus(call, Status.Code.UNAUTHENTICATED, "Authentication required");
        }
    }

    @Test
    void grpcWithAnUnknownTokenIsUnauthenticated() {
        for (ThrowingCallable call : everyGrpcMethod(UNKNOWN)) {
            assertStatus(call, Status.Code.UNAUTHENTICATED, "Authentication failed: the bearer token is not valid");
        }
    }

    @Test
    void grpcWithAPredictTokenServesModelsButMayNotReload() {
        var prediction = withToken(PredictionServiceGrpc.newBlockingStub(channel), PREDICTOR);
        var models = withToken(ModelServiceGrpc.newBlockingStub(channel), PREDICTOR);

        assertThat(floats(prediction.predict(predict(spec("default"), floatContent(1f, 2f))).getOutputsOrThrow("y")))
                .containsExactly(2.5f, 3f);
        assertThat(prediction.classify(classify("classify_x_to_y", 2f)).getResult().getClassificationsCount())
                .isEqualTo(1);
        assertThat(prediction.regress(regress("regress_x_to_y", 2f)).getResult().getRegressionsCount()).isEqualTo(1);
        assertThat(prediction.multiInference(multiInference()).getResultsCount()).isEqualTo(2);
        assertThat(prediction.getModelMetadata(metadata()).getMetadataMap()).containsKey("signature_def");
        assertThat(models.getModelStatus(status()).getModelVersionStatusCount()).isEqualTo(1);

        assertStatus(() -> models.handleReloadConfigRequest(reload()), Status.Code.PERMISSION_DENIED,
                "Permission denied: HandleReloadConfigRequest needs a token with the 'admin' scope");
    }

    @Test
    void grpcWithAnAdminTokenReloadsButDoesNotPredict() {
        var models = withToken(ModelServiceGrpc.newBlockingStub(channel), ADMIN);

        assertThat(models.handleReloadConfigRequest(reload()).getStatus().getErrorCodeValue()).isZero();
        assertStatus(() -> withToken(PredictionServiceGrpc.newBlockingStub(channel), ADMIN)
                .predict(predict(spec("default"), floatContent(1f))), Status.Code.PERMISSION_DENIED,
                "Predict needs a token with the 'predict' scope");
        assertStatus(() -> withToken(PredictionServiceGrpc.newBlockingStub(channel), SCRAPER)
                .predict(predict(spec("default"), floatContent(1f))), Status.Code.PERMISSION_DENIED,
                "Predict needs a token with the 'predict' scope");
    }

    @Test
    void grpcHealthAndReflectionAreOpen() throws Exception {
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("default")
                .build()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThat(ReflectedServices.of(channel)).contains("tensorflow.serving.PredictionService",
                "tensorflow.serving.ModelService");
    }

    // ---- the token file, edited while serving ----

    @Test
    void editingTheTokenFileAddsAndRevokesTokensWithoutARestart() throws Exception {
        String added = "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2";
        String original = Files.readString(tokens);
        try {
            assertThat(restPredict(added).statusCode()).isEqualTo(401);
            // Without PREDICTOR, with a new token: as a rotation does it.
            Files.writeString(dir.resolve("tokens.next"), original.replace(PREDICTOR, added));
            Files.move(dir.resolve("tokens.next"), tokens, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            awaitRestStatus(added, 200);
            assertThat(floats(withToken(PredictionServiceGrpc.newBlockingStub(channel), added)
                    .predict(predict(spec("default"), floatContent(4f))).getOutputsOrThrow("y"))).containsExactly(4f);
            assertThat(restPredict(PREDICTOR).statusCode()).isEqualTo(401);
            assertStatus(() -> withToken(PredictionServiceGrpc.newBlockingStub(channel), PREDICTOR)
                    .predict(predict(spec("default"), floatContent(1f))), Status.Code.UNAUTHENTICATED,
                    "not valid");

            // A broken file keeps the tokens in force.
            Files.writeString(tokens, added + " predict,everything\n");
            Thread.sleep(300);
            assertThat(restPredict(added).statusCode()).isEqualTo(200);
        } finally {
            Files.writeString(tokens, original);
            awaitRestStatus(PREDICTOR, 200);
        }
    }

    // ---- helpers ----

    private static void awaitRestStatus(String token, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (restPredict(token).statusCode() != status) {
            assertThat(System.nanoTime()).as("REST answers %d within 10 s", status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Each method of both TF Serving services, called with {@code token} (null: none). */
    private List<ThrowingCallable> everyGrpcMethod(String token) {
        var prediction = withToken(PredictionServiceGrpc.newBlockingStub(channel), token);
        var models = withToken(ModelServiceGrpc.newBlockingStub(channel), token);
        return List.of(
                () -> prediction.predict(predict(spec("default"), floatContent(1f))),
                () -> prediction.classify(classify("classify_x_to_y", 2f)),
                () -> prediction.regress(regress("regress_x_to_y", 2f)),
                () -> prediction.multiInference(multiInference()),
                () -> prediction.getModelMetadata(metadata()),
                () -> models.getModelStatus(status()),
                () -> models.handleReloadConfigRequest(reload()));
    }

    private static MultiInferenceRequest multiInference() {
        return MultiInferenceRequest.newBuilder()
                .addTasks(InferenceTask.newBuilder().setModelSpec(spec("default").toBuilder()
                        .setSignatureName("classify_x_to_y")).setMethodName(MultiInferenceTasks.CLASSIFY_METHOD))
                .addTasks(InferenceTask.newBuilder().setModelSpec(spec("default").toBuilder()
                        .setSignatureName("regress_x_to_y")).setMethodName(MultiInferenceTasks.REGRESS_METHOD))
                .setInput(examples(2f)).build();
    }

    private static GetModelMetadataRequest metadata() {
        return GetModelMetadataRequest.newBuilder().setModelSpec(spec("default")).addMetadataField("signature_def")
                .build();
    }

    private static GetModelStatusRequest status() {
        return GetModelStatusRequest.newBuilder().setModelSpec(spec("default")).build();
    }

    private static ReloadConfigRequest reload() {
        return ReloadConfigRequest.newBuilder().setConfig(config).build();
    }

    /** The stub sending {@code authorization: Bearer token} metadata (none for a null token). */
    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        S timed = stub.withDeadlineAfter(30, TimeUnit.SECONDS);
        if (token == null) {
            return timed;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return timed.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(messagePart);
        });
    }

    private static HttpResponse<String> restPredict(String token) {
        return post("/v1/models/default:predict", "{\"instances\": [1.0, 2.0, 5.0]}", token);
    }

    private static HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET());
    }

    private static HttpResponse<String> post(String path, String json, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.restPort().orElseThrow() + path)).timeout(Duration.ofSeconds(30));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String error(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path("error").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
