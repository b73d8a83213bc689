package dev.servedeck.core.server;

import static dev.servedeck.core.server.OpenInferenceServers.HTTP;
import static dev.servedeck.core.server.OpenInferenceServers.JSON;
import static dev.servedeck.core.server.OpenInferenceServers.assertCode;
import static dev.servedeck.core.server.OpenInferenceServers.oneFloat;
import static dev.servedeck.core.server.OpenInferenceServers.oneInput;
import static dev.servedeck.core.server.OpenInferenceServers.typedFloats;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.security.ModelBasePathAllowlist;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.oipclient.GRPCInferenceServiceGrpc;
import dev.servedeck.oipclient.ModelRepositoryParameter;
import dev.servedeck.oipclient.RepositoryIndexRequest;
import dev.servedeck.oipclient.RepositoryIndexResponse;
import dev.servedeck.oipclient.RepositoryModelLoadRequest;
import dev.servedeck.oipclient.RepositoryModelUnloadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol's model repository extension on a real server with bearer tokens and a base path
 * allowlist: models {@code a} and {@code b}, both TF Serving's half_plus_two copied into a temporary folder (the
 * only one allowed). Each test leaves both served, as it found them.
 */
class V2RepositoryApiTest {

    private static final String ADMIN = "repository-admin-token-0123456789";
    private static final String PREDICTOR = "repository-predict-token-0123456789";

    private static Path root;
    private static Path models;
    private static ModelServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        root = Files.createTempDirectory("servedeck-v2-repository");
        models = root.resolve("models");
        for (String name : List.of("a", "b", "c")) {
            copy(TfServingTestData.model("saved_model_half_plus_two_cpu"), models.resolve(name));
        }
        Path tokens = root.resolve("tokens.txt");
        Files.writeString(tokens, ADMIN + " admin\n" + PREDICTOR + " predict\n");
        String config = """
                model_config_list {
                  config { name: "a" base_path: "%s" }
                  config { name: "b" base_path: "%s" }
                }
                """.formatted(models.resolve("a"), models.resolve("b"));
        server = ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                                .withModelBasePathAllowlist(ModelBasePathAllowlist.of(List.of(models))),
                        Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(4)), Optional.empty(),
                        Duration.ZERO, MonitoringOptions.defaults(), Optional.empty(),
                        AuthOptions.none().withTokensFile(tokens)),
                ModelServerConfigFile.parse(config, "test config"));
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
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Whatever a test did, both models are served again for the next. */
    @AfterEach
    void serveBothAgain() throws Exception {
        for (String model : List.of("a", "b")) {
            assertThat(post("/v2/repository/models/" + model + "/load", "", ADMIN).status()).isEqualTo(200);
        }
    }

    @Test
    void indexListsEveryModelWithItsState() throws Exception {
        Reply rest = post("/v2/repository/index", "", ADMIN);
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.body().isArray()).isTrue();
        assertThat(entry(rest.body(), "a").get("state").asText()).isEqualTo("READY");
        assertThat(entry(rest.body(), "a").get("version").asText()).isEqualTo("123");
        assertThat(entry(rest.body(), "b").get("state").asText()).isEqualTo("READY");

        RepositoryIndexResponse grpc = admin().repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build());
        assertThat(grpc.getModelsList()).extracting(RepositoryIndexResponse.ModelIndex::getName).contains("a", "b");
        assertThat(grpc.getModelsList()).allSatisfy(model -> assertThat(model.getState()).isEqualTo("READY"));
    }

    @Test
    void unloadOverRestStopsServingAndLoadByNameServesAgain() throws Exception {
        assertThat(post("/v2/repository/models/b/unload", "{}", ADMIN).status()).isEqualTo(200);

        Reply index = post("/v2/repository/index", "", ADMIN);
        // The unload returns once the version has ended.
        assertThat(entry(index.body(), "b").get("state").asText()).isEqualTo("UNAVAILABLE");
        assertThat(entry(index.body(), "b").get("reason").asText()).isEqualTo("unloaded");
        assertThat(names(post("/v2/repository/index", "{\"ready\": true}", ADMIN).body())).contains("a")
                .doesNotContain("b");
        assertThat(post("/v2/models/b/infer", oneInput("FP32", "[1.0]"), PREDICTOR).status()).isEqualTo(404);

        assertThat(post("/v2/repository/models/b/load", "", ADMIN).status()).isEqualTo(200);
        Reply inference = post("/v2/models/b/infer", oneInput("FP32", "[1.0]"), PREDICTOR);
        assertThat(inference.status()).as(inference.toString()).isEqualTo(200);
        assertThat(inference.body().get("outputs").get(0).get("data").get(0).asDouble()).isEqualTo(2.5);
        assertThat(entry(post("/v2/repository/index", "", ADMIN).body(), "b").get("state").asText())
                .isEqualTo("READY");
    }

    @Test
    void unloadOverGrpcStopsServingAndLoadByNameServesAgain() {
        admin().repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("b").build());

        assertThat(admin().repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build())
                .getModelsList()).extracting(RepositoryIndexResponse.ModelIndex::getName).doesNotContain("b");
        assertCode(() -> predictor().modelInfer(oneFloat("b", 1.0f)), Status.Code.NOT_FOUND, "b");

        admin().repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("b").build());
        assertThat(typedFloats(predictor().modelInfer(oneFloat("b", 1.0f))))
                .containsExactly(2.5f);
    }

    @Test
    void aModelNotInTheConfigNeedsAnAllowedBasePath() throws Exception {
        Reply unnamed = post("/v2/repository/models/c/load", "", ADMIN);
        assertThat(unnamed.status()).isEqualTo(404);
        assertThat(unnamed.body().get("error").asText()).contains("base_path");

        Path outside = TfServingTestData.model("saved_model_half_plus_two_cpu");
        Reply refused = post("/v2/repository/models/c/load",
                "{\"parameters\": {\"base_path\": \"" + outside + "\"}}", ADMIN);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).contains("--model_base_path_allowlist");
        assertThat(names(post("/v2/repository/index", "", ADMIN).body())).doesNotContain("c");

        Reply triton = post("/v2/repository/models/c/load", "{\"parameters\": {\"config\": \"{}\"}}", ADMIN);
        assertThat(triton.status()).isEqualTo(400);
        assertThat(triton.body().get("error").asText()).contains("'config'");

        admin().repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("c")
                .putParameters("base_path", ModelRepositoryParameter.newBuilder()
                        .setStringParam(models.resolve("c").toString()).build())
                .build());
        assertThat(typedFloats(predictor().modelInfer(oneFloat("c", 1.0f))))
                .containsExactly(2.5f);
        assertThat(post("/v2/repository/models/c/unload", "", ADMIN).status()).isEqualTo(200);
        assertThat(post("/v2/repository/models/c/unload", "", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void onlyTheAdminScopeMayUseTheRepository() throws Exception {
        for (String path : List.of("/v2/repository/index", "/v2/repository/models/b/load",
                "/v2/repository/models/b/unload")) {
            assertThat(post(path, "", PREDICTOR).status()).as(path).isEqualTo(403);
            assertThat(post(path, "", null).status()).as(path).isEqualTo(401);
        }
        assertCode(() -> predictor().repositoryIndex(RepositoryIndexRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "");
        assertCode(() -> predictor().repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("b").build()), Status.Code.PERMISSION_DENIED, "");
        assertCode(() -> predictor().repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("b").build()), Status.Code.PERMISSION_DENIED, "");
        assertThat(typedFloats(predictor().modelInfer(oneFloat("b", 1.0f))))
                .containsExactly(2.5f);
    }

    @Test
    void loadAndUnloadOfOneModelNeverFailAnInferenceOnAnother() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        clients.add(new Thread(() -> {
            while (running.get()) {
                try {
                    float[] result = typedFloats(predictor().modelInfer(oneFloat("a", 1.0f)));
                    if (result.length != 1 || result[0] != 2.5f) {
                        failures.add("gRPC answered " + java.util.Arrays.toString(result));
                    }
                    answered.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add("gRPC: " + e);
                }
            }
        }, "grpc-inference-on-a"));
        clients.add(new Thread(() -> {
            while (running.get()) {
                try {
                    Reply reply = post("/v2/models/a/infer", oneInput("FP32", "[1.0]"), PREDICTOR);
                    if (reply.status() != 200) {
                        failures.add("REST: " + reply);
                    }
                    answered.incrementAndGet();
                } catch (Exception e) {
                    failures.add("REST: " + e);
                }
            }
        }, "rest-inference-on-a"));
        clients.forEach(Thread::start);
        try {
            for (int round = 0; round < 2; round++) {
                assertThat(post("/v2/repository/models/b/unload", "", ADMIN).status()).isEqualTo(200);
                assertThat(post("/v2/repository/models/b/load", "", ADMIN).status()).isEqualTo(200);
                admin().repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("b").build());
                admin().repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("b").build());
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join(30_000);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(answered.get()).isPositive();
        assertThat(typedFloats(predictor().modelInfer(oneFloat("b", 1.0f))))
                .containsExactly(2.5f);
    }

    record Reply(int status, JsonNode body) {
    }

    private static Reply post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.restPort().orElseThrow() + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Reply(response.statusCode(), json);
    }

    private static JsonNode entry(JsonNode index, String name) {
        for (JsonNode entry : index) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("No index entry for " + name + " in " + index);
    }

    private static List<String> names(JsonNode index) {
        List<String> names = new ArrayList<>();
        index.forEach(entry -> names.add(entry.get("name").asText()));
        return names;
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub admin() {
        return stub(ADMIN);
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub predictor() {
        return stub(PREDICTOR);
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String token) {
        Metadata authorization = new Metadata();
        authorization.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(authorization))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
