package dev.servedeck.console.backend.tfserving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.metrics.WindowStatistics;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduced mode against a real server that offers only TF Serving's APIs (ServeDeck with the admin API off) and
 * Prometheus metrics: models and version states through GetModelStatus, signatures through GetModelMetadata, a
 * predict through the REST API, changes through ReloadConfig once the console knows the whole config, charts from
 * the Prometheus endpoint after some load, events from state changes between polls.
 */
class TfServingBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    static TfServingTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TfServingTestServer.start(temp, false);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void modelsAndVersionStatesComeFromGetModelStatusForTheNamesItIsGiven() {
        try (TfServingBackend backend = TfServingBackend.connect(
                server.connection(List.of("half_plus_two", "ghost"), false), Optional.empty(), Optional.empty())) {
            ServerStatus status = backend.start(null).join();

            assertThat(status.state()).isEqualTo(ServerStatus.State.RUNNING);
            assertThat(status.grpcPort()).hasValue(server.grpcPort);
            assertThat(backend.models()).extracting(ModelEntry::name)
                    .as("'ghost' answers NOT_FOUND: not served, not listed").containsExactly("half_plus_two");
            ModelEntry model = backend.models().get(0);
            assertThat(model.versions()).extracting(VersionEntry::version, VersionEntry::state)
                    .contains(org.assertj.core.groups.Tuple.tuple(2L, ManagerState.AVAILABLE));
            assertThat(status.models()).isEqualTo(1);
            assertThat(status.availableVersions()).isEqualTo(1);
            assertThat(backend.recentEvents()).extracting(ServerEvent::source).contains("server", "half_plus_two:2");
            assertThat(backend.capabilities().controlsProcess()).isFalse();
            assertThat(backend.capabilities().notice()).get().asString()
                    .startsWith("Plain TensorFlow Serving: reduced mode")
                    .contains("no charts (the connection gives no Prometheus endpoint)");
        }
    }

    @Test
    void signaturesComeFromGetModelMetadataAndPredictGoesOverRest() {
        try (TfServingBackend backend = backendFor(List.of("half_plus_two"), false)) {
            List<SignatureInfo> signatures = backend.signatures("half_plus_two", new VersionChoice.Latest()).join();

            SignatureInfo serving = signatures.stream().filter(SignatureInfo::isServingDefault).findFirst().orElseThrow();
            assertThat(serving.inputs()).extracting(TensorInfo::name).containsExactly("x");
            assertThat(serving.outputs()).extracting(TensorInfo::name).containsExactly("y");
            assertThatThrownBy(() -> backend.signatures("half_plus_two", new VersionChoice.Number(7)).join())
                    .isInstanceOf(CompletionException.class).hasMessageContaining("NOT_FOUND");

            RestReply reply = backend.sendRest(RestCall.post("/v1/models/half_plus_two:predict",
                    "{\"instances\": [1.0, 2.0, 5.0]}")).join();
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body().replace(" ", "")).contains("\"predictions\":[2.5,3.0,4.5]");
        }
    }

    @Test
    void changesAreRefusedUntilTheWholeConfigIsKnownThenSentWithReloadConfig() throws Exception {
        try (TfServingBackend backend = backendFor(List.of("half_plus_two"), false)) {
            assertThatThrownBy(() -> backend.addModel("other", server.models.resolve("other"),
                    new ServableVersionPolicy.Latest(1)).join())
                    .hasMessageContaining("TensorFlow Serving cannot return its model config")
                    .hasMessageContaining("Open the server's model config file first");
            assertThat(backend.modelConfigText()).startsWith("# TensorFlow Serving cannot return its model config");

            backend.openModelConfig(server.config).join();
            assertThat(backend.modelConfigText()).contains("name: \"half_plus_two\"");

            backend.addModel("other", server.models.resolve("other"), new ServableVersionPolicy.Latest(1)).join();
            assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("half_plus_two", "other");
            assertThat(backend.models().get(1).versions()).extracting(VersionEntry::state)
                    .containsExactly(ManagerState.AVAILABLE);
            assertThat(backend.models().get(1).basePath()).isEqualTo(server.models.resolve("other"));
            assertThat(server.server.core().config().getModelConfigList().getConfigCount())
                    .as("the server got the whole config: both models").isEqualTo(2);
            assertThat(backend.sendRest(RestCall.post("/v1/models/other:predict", "{\"instances\": [4.0]}")).join()
                    .statusCode()).isEqualTo(200);

            backend.removeModel("other").join();
            Await.until(() -> backend.models().stream().map(ModelEntry::name).toList().equals(List.of("half_plus_two")),
                    WAIT);
            assertThat(server.server.core().config().getModelConfigList().getConfigList())
                    .extracting(config -> config.getName()).containsExactly("half_plus_two");
            assertThat(backend.recentEvents()).extracting(ServerEvent::message)
                    .anyMatch(text -> text.startsWith("Added model other (ReloadConfig with 2 models)"))
                    .anyMatch(text -> text.startsWith("Removed model other (ReloadConfig with 1 models)"));
            assertThat(backend.recentEvents()).filteredOn(event -> event.source().startsWith("other"))
                    .extracting(ServerEvent::message).contains("AVAILABLE", "No longer served");
            Path saved = temp.resolve("saved.config");
            backend.saveModelConfig(saved).join();
            assertThat(Files.readString(saved)).contains("half_plus_two").doesNotContain("other");
        }
    }

    @Test
    void aModelServedBehindTheConsolesBackMakesTheConfigUnknownAgain() throws Exception {
        try (TfServingBackend backend = backendFor(List.of("half_plus_two", "other"), false)) {
            backend.openModelConfig(server.config).join();
            // Another operator adds a model with their own ReloadConfig.
            try (TfServingBackend other = backendFor(List.of(), false)) {
                other.openModelConfig(server.config).join();
                other.addModel("other", server.models.resolve("other"), new ServableVersionPolicy.Latest(1)).join();
            }
            Await.until(() -> backend.pollNow().join() == null && backend.models().size() == 2, WAIT);

            assertThatThrownBy(() -> backend.removeModel("half_plus_two").join())
                    .hasMessageContaining("Open the server's model config file first");
            assertThat(backend.recentEvents()).extracting(ServerEvent::message)
                    .anyMatch(text -> text.contains("which the model config this console sent does not name"));
            backend.openModelConfig(server.config).join(); // back to one model for the other tests
        }
    }

    @Test
    void chartsComeFromThePrometheusEndpointAndModelNamesToo() throws Exception {
        // No model names given: Prometheus names the models (loads by folder, requests by name).
        try (TfServingBackend backend = backendFor(List.of(), true)) {
            Await.until(() -> backend.models().stream().anyMatch(model -> model.name().equals("half_plus_two")),
                    WAIT);
            for (int i = 0; i < 40; i++) {
                assertThat(backend.sendRest(RestCall.post("/v1/models/half_plus_two:predict",
                        "{\"instances\": [1.0]}")).join().statusCode()).isEqualTo(200);
            }
            backend.sendRest(RestCall.post("/v1/models/half_plus_two:predict", "{\"instances\": [\"x\"]}")).join();
            Await.until(() -> backend.statistics().map(s -> s.overall().shortWindow().requests() > 0).orElse(false),
                    WAIT);

            StatisticsSnapshot snapshot = backend.statistics().orElseThrow();
            WindowStatistics model = snapshot.models().get("half_plus_two").shortWindow();
            assertThat(model.requests()).isBetween(1L, 41L);
            assertThat(model.requestsPerSecond()).isPositive();
            assertThat(model.p50Micros()).as("a bucket's upper bound, TF Serving's buckets start at 10 µs")
                    .isGreaterThanOrEqualTo(10);
            assertThat(model.p99Micros()).isGreaterThanOrEqualTo(model.p50Micros());
            assertThat(backend.statisticsProblem()).isEmpty();
            assertThat(backend.capabilities().notice()).get().asString().contains("charts from http://127.0.0.1:");
        }
    }

    @Test
    void theLoadEngineLoadsItOverRestAndGrpcButNotInTheOpenInferenceProtocol() throws Exception {
        try (TfServingBackend backend = backendFor(List.of("half_plus_two"), false)) {
            for (LoadSpec.Api api : List.of(LoadSpec.Api.REST, LoadSpec.Api.GRPC)) {
                LoadSpec spec = new LoadSpec("half_plus_two", new VersionChoice.Latest(), "{\"instances\": [1.0, 2.0]}",
                        api, LoadPlan.closedLoop(2, Duration.ofSeconds(1)).withRequests(50));
                try (LoadRun run = backend.startLoad(spec).get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    LoadResult result = run.result().get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(result.ok()).as(api + ": " + result.statuses()).isEqualTo(50);
                }
            }
            LoadSpec v2 = new LoadSpec("half_plus_two", new VersionChoice.Latest(), "{}", LoadSpec.Api.REST_V2,
                    LoadPlan.closedLoop(1, Duration.ofSeconds(1)));
            assertThatThrownBy(() -> backend.startLoad(v2).join())
                    .hasMessageContaining("TensorFlow Serving does not speak the Open Inference Protocol");
        }
    }

    @Test
    void withoutAPrometheusEndpointThereAreNoChartsAndTheReasonIsGiven() {
        try (TfServingBackend backend = backendFor(List.of("half_plus_two"), false)) {
            assertThat(backend.statistics()).isEmpty();
            assertThat(backend.statisticsProblem()).isEqualTo("No Prometheus endpoint was given for tfs-edge");
        }
    }

    @Test
    void batchingAndWarmupAreRefusedWithTheReason() {
        try (TfServingBackend backend = backendFor(List.of("half_plus_two"), false)) {
            assertThat(backend.batchingEnabled()).isFalse();
            assertThatThrownBy(() -> backend.applyBatching(backend.batchingOptions()).join())
                    .hasMessageContaining("cannot change batching while it runs");
            assertThatThrownBy(() -> backend.saveRecentRequestsAsWarmup("half_plus_two", temp.resolve("w")).join())
                    .hasMessageContaining("keeps no recent requests");
            assertThatThrownBy(() -> backend.stop().join()).hasMessageContaining("start and stop it there");
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsUnreachable() throws Exception {
        int nobody;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            nobody = socket.getLocalPort() + 1;
        }
        var connection = new dev.servedeck.console.connections.Connection("gone", "gone",
                java.net.URI.create("http://127.0.0.1:" + nobody), Optional.empty(), Optional.empty());
        try (ConsoleBackend backend = TfServingBackend.connect(connection, Optional.empty(), Optional.empty())) {
            ServerStatus status = backend.start(null).join();

            assertThat(status.state()).isEqualTo(ServerStatus.State.UNREACHABLE);
            assertThat(status.message()).startsWith("Cannot reach 127.0.0.1:" + (nobody - 1) + ": UNAVAILABLE");
        }
    }

    private static TfServingBackend backendFor(List<String> names, boolean prometheus) {
        var connection = server.connection(names, prometheus);
        TfServingBackend backend = TfServingBackend.connect(connection, Optional.empty(), Optional.empty());
        assertThat(backend.start(null).join().state()).isEqualTo(ServerStatus.State.RUNNING);
        return backend;
    }
}
