package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.config.MonitoringConfigFile;
import dev.servedeck.core.metrics.PrometheusTextParser.Exposition;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.requestlog.RequestLogOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.HttpJsonClient.Reply;
import dev.servedeck.core.testing.TfServingTestData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server with TF Serving's monitoring config, real TensorFlow on TF Serving's half_plus_two, real
 * HTTP; the scrape is parsed strictly and checked against the requests sent.
 */
class MonitoringOverHttpTest {

    private static final String METRICS = "/monitoring/prometheus/metrics";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ModelServer server;
    private static HttpJsonClient client;

    @BeforeAll
    static void startServer() throws IOException {
        Path data = TfServingTestData.root();
        String config = """
                model_config_list {
                  config { name: "default" base_path: "%1$s/saved_model_half_plus_two_cpu" }
                  config { name: "stats" base_path: "%1$s/saved_model_half_plus_two_cpu" }
                  config {
                    name: "logged" base_path: "%1$s/saved_model_half_plus_two_cpu"
                    logging_config { sampling_config { sampling_rate: 1.0 } }
                  }
                }
                """.formatted(data);
        String monitoring = Files.readString(data.resolve("monitoring_config.txt"));
        MonitoringOptions options = MonitoringOptions.defaults()
                .withPrometheusPath(MonitoringConfigFile.prometheusPath(
                        MonitoringConfigFile.parse(monitoring, "monitoring_config.txt")).orElseThrow());
        server = ModelServer.start(serverOptions(options, Duration.ZERO), ModelServerConfigFile.parse(config, "test"));
        client = new HttpJsonClient(server.restPort().orElseThrow());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tfServingRequestMetricsCountEveryCall() throws Exception {
        Exposition before = scrape(null);
        for (int i = 0; i < 5; i++) {
            assertThat(client.post("/v1/models/default:predict", "{\"instances\": [1.0, 2.0]}").status()).isEqualTo(200);
        }
        assertThat(client.post("/v1/models/default:regress",
                "{\"signature_name\": \"regress_x_to_y\", \"examples\": [{\"x\": 2.0}, {\"x\": 3.0}, {\"x\": 4.0}]}")
                .status()).isEqualTo(200);
        assertThat(client.post("/v1/models/default:predict", "{\"instances\": [\"not a number\"]}").status())
                .isEqualTo(400);
        Exposition after = scrape(null);

        assertThat(after.types()).containsEntry(":tensorflow:serving:request_count", "untyped")
                .containsEntry(":tensorflow:serving:request_latency", "histogram")
                .containsEntry(":tensorflow:serving:runtime_latency", "histogram")
                .containsEntry(":tensorflow:serving:request_example_counts", "histogram")
                .containsEntry(":tensorflow:serving:request_example_count_total", "counter")
                .containsEntry(":tensorflow:cc:saved_model:load_attempt_count", "untyped")
                .containsEntry(":tensorflow:cc:saved_model:load_latency", "untyped");
        assertThat(delta(before, after, ":tensorflow:serving:request_count",
                Map.of("model_name", "default", "status", "OK"))).isEqualTo(6);
        assertThat(delta(before, after, ":tensorflow:serving:request_count",
                Map.of("model_name", "default", "status", "INVALID_ARGUMENT"))).isEqualTo(1);
        Map<String, String> predictRest = Map.of("model_name", "default", "API", "Predict", "entrypoint", "REST",
                "status", "OK");
        assertThat(delta(before, after, ":tensorflow:serving:request_latency_count", predictRest)).isEqualTo(5);
        List<PrometheusTextParser.Sample> buckets = after.find(":tensorflow:serving:request_latency_bucket", predictRest);
        assertThat(buckets).hasSize(34);
        assertThat(buckets.get(0).labels()).containsEntry("le", "10.0");
        assertThat(buckets.get(1).labels()).containsEntry("le", "18.0");
        assertThat(buckets.get(33).labels()).containsEntry("le", "+Inf");
        assertThat(after.value(":tensorflow:serving:request_latency_sum", predictRest)).isPositive();
        assertThat(delta(before, after, ":tensorflow:serving:runtime_latency_count",
                Map.of("model_name", "default", "API", "Predict", "runtime", "TF1"))).isEqualTo(5);
        assertThat(delta(before, after, ":tensorflow:serving:request_example_count_total", Map.of("model", "default")))
                .isEqualTo(3);
        assertThat(delta(before, after, ":tensorflow:serving:request_example_counts_bucket",
                Map.of("model", "default", "le", "2.0"))).isZero();
        assertThat(delta(before, after, ":tensorflow:serving:request_example_counts_bucket",
                Map.of("model", "default", "le", "4.0"))).isEqualTo(1);

        Map<String, String> version = Map.of("model_name", "default", "version", "123", "signature", "serving_default",
                "API", "Predict", "entrypoint", "REST", "status", "OK");
        assertThat(delta(before, after, "servedeck_requests_total", version)).isEqualTo(5);
        assertThat(delta(before, after, "servedeck_request_rows_total",
                Map.of("model_name", "default", "version", "123"))).isEqualTo(10 + 3);
    }

    @Test
    void modelLoadsStatesJvmAndBuildInfoAreExposed() throws Exception {
        Exposition scrape = scrape(null);
        String path = TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123").toString();
        assertThat(scrape.value(":tensorflow:cc:saved_model:load_attempt_count",
                Map.of("model_path", path, "status", "success"))).isEqualTo(3);
        assertThat(scrape.value(":tensorflow:cc:saved_model:load_latency", Map.of("model_path", path))).isPositive();
        assertThat(scrape.value("servedeck_model_version_state",
                Map.of("model_name", "stats", "version", "123", "state", "AVAILABLE"))).isEqualTo(1);
        assertThat(scrape.types()).containsKeys("jvm_memory_used_bytes", "jvm_threads_current",
                "process_start_time_seconds", "process_resident_memory_bytes", "servedeck_build_info");
        assertThat(scrape.find("servedeck_build_info", Map.of())).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsKeys("version", "tensorflow_java"));
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = get(METRICS, "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        Exposition scrape = PrometheusTextParser.parse(response.body(), true);
        assertThat(scrape.types()).containsEntry(":tensorflow:serving:request_count", "unknown")
                .containsEntry(":tensorflow:serving:request_latency", "histogram");

        HttpResponse<String> text = get(METRICS, "text/plain");
        assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(text.body()).contains("# TYPE");
    }

    @Test
    void onlyGetOnTheMetricsPathAndHealthIsReady() throws Exception {
        assertThat(client.post(METRICS, "{}").status()).isEqualTo(405);
        Reply health = client.get("/v1/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo(HttpJsonClient.parse("{\"status\": \"ready\"}"));
    }

    @Test
    void liveStatisticsAgreeWithTheClientsCount() throws Exception {
        int clients = 4;
        int perClient = 40;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<int[]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                HttpJsonClient own = new HttpJsonClient(server.restPort().orElseThrow());
                int[] outcome = new int[2];
                for (int i = 0; i < perClient; i++) {
                    boolean fail = i % 10 == 0;
                    Reply reply = own.post(fail ? "/v1/models/stats/versions/999:predict" : "/v1/models/stats:predict",
                            "{\"instances\": [1.0, 2.0, 3.0]}");
                    outcome[reply.status() == 200 ? 0 : 1]++;
                }
                return outcome;
            }));
        }
        int ok = 0;
        int failed = 0;
        for (Future<int[]> result : results) {
            ok += result.get()[0];
            failed += result.get()[1];
        }
        pool.shutdown();

        StatisticsSnapshot snapshot = server.statistics().roll();
        ServingStatistics model = snapshot.models().get("stats");
        assertThat(model.longWindow().requests()).isEqualTo(ok + failed);
        assertThat(model.longWindow().errors()).containsExactly(Map.entry(Code.NOT_FOUND, (long) failed));
        assertThat(model.longWindow().rows()).isEqualTo(3L * ok);
        assertThat(model.longWindow().p50Micros()).isPositive();
        assertThat(model.longWindow().p99Micros()).isGreaterThanOrEqualTo(model.longWindow().p50Micros());
        ServingStatistics version = snapshot.versions().get(new ServableId("stats", 123));
        assertThat(version.longWindow().requests()).isEqualTo(ok);
        assertThat(snapshot.overall().longWindow().requests()).isGreaterThanOrEqualTo(ok + failed);
        assertThat(server.statistics().snapshot()).isSameAs(snapshot);
    }

    @Test
    void modelLoggingConfigSamplesEveryRequestOfThatModelOnly() throws Exception {
        List<RequestLogEntry> tail = new java.util.concurrent.CopyOnWriteArrayList<>();
        var log = server.requestLog().orElseThrow();
        long before = log.written();
        try (AutoCloseable subscription = log.subscribe(tail::add)) {
            client.post("/v1/models/default:predict", "{\"instances\": [1.0]}");
            assertThat(client.post("/v1/models/logged:predict", "{\"instances\": [1.0, 2.0]}").status()).isEqualTo(200);
            client.post("/v1/models/logged:classify",
                    "{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
            assertThat(log.awaitWritten(before + 2, 5_000)).isTrue();
        }
        assertThat(tail).hasSize(2).allMatch(e -> e.model().equals("logged") && e.entrypoint().equals("REST"));
        RequestLogEntry predict = tail.get(0);
        assertThat(predict.api()).isEqualTo("Predict");
        assertThat(predict.version()).hasValue(123);
        assertThat(predict.signature()).isEqualTo("serving_default");
        assertThat(predict.status()).isEqualTo(Code.OK);
        assertThat(predict.requestBytes()).isPositive();
        assertThat(predict.responseBytes()).isPositive();
        assertThat(predict.requestBody()).isEmpty();
        assertThat(tail.get(1).api()).isEqualTo("Classify");
        assertThat(log.recent(2)).containsExactlyElementsOf(tail);
    }

    @Test
    void perVersionLabelsFollowAVersionSwap(@TempDir Path temp) throws Exception {
        Path twoVersions = TfServingTestData.model("saved_model_half_plus_two_2_versions");
        Path base = Files.createDirectories(temp.resolve("m"));
        copyTree(twoVersions.resolve("00000123"), base.resolve("123"));
        String config = "model_config_list { config { name: \"m\" base_path: \"" + base + "\" } }";
        try (ModelServer swapping = ModelServer.start(
                serverOptions(MonitoringOptions.defaults().withPrometheusPath("/metrics"), Duration.ofMillis(200)),
                ModelServerConfigFile.parse(config, "test"))) {
            HttpJsonClient own = new HttpJsonClient(swapping.restPort().orElseThrow());
            assertThat(own.post("/v1/models/m:predict", "{\"instances\": [1.0]}").status()).isEqualTo(200);
            copyTree(twoVersions.resolve("00000124"), base.resolve("124"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (swapping.core().status(dev.servedeck.core.ModelSpec.latest("m")).stream()
                    .noneMatch(s -> s.id().version() == 124 && s.state().name().equals("AVAILABLE"))) {
                assertThat(System.nanoTime()).as("version 124 loaded in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(own.post("/v1/models/m:predict", "{\"instances\": [1.0]}").status()).isEqualTo(200);
            assertThat(own.post("/v1/models/m:predict", "{\"instances\": [1.0]}").status()).isEqualTo(200);

            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + swapping.restPort().orElseThrow() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Exposition scrape = PrometheusTextParser.parse(response.body(), false);
            Map<String, String> labels = Map.of("model_name", "m", "signature", "serving_default", "API", "Predict",
                    "entrypoint", "REST", "status", "OK");
            assertThat(scrape.value("servedeck_requests_total", with(labels, "version", "123"))).isEqualTo(1);
            assertThat(scrape.value("servedeck_requests_total", with(labels, "version", "124"))).isEqualTo(2);
            assertThat(scrape.value(":tensorflow:serving:request_count", Map.of("model_name", "m", "status", "OK")))
                    .isEqualTo(3);
            assertThat(scrape.value(":tensorflow:cc:saved_model:load_attempt_count",
                    Map.of("model_path", base.resolve("124").toString(), "status", "success"))).isEqualTo(1);
        }
    }

    @Test
    void healthIsUnavailableWhileAModelHasNoAvailableVersion() {
        Path bad = TfServingTestData.model("bad_half_plus_two");
        String config = "model_config_list { config { name: \"bad\" base_path: \"" + bad + "\" } }";
        try (ModelServer unhealthy = ModelServer.start(serverOptions(MonitoringOptions.defaults(), Duration.ZERO),
                ModelServerConfigFile.parse(config, "test"))) {
            Reply health = new HttpJsonClient(unhealthy.restPort().orElseThrow()).get("/v1/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().path("status").asText()).isEqualTo("not ready");
            assertThat(health.body().path("reason").asText()).contains("bad").contains("END");
            assertThat(new HttpJsonClient(unhealthy.restPort().orElseThrow()).get(METRICS).status())
                    .as("no monitoring config, no metrics path").isEqualTo(404);
        }
    }

    private static ModelServerOptions serverOptions(MonitoringOptions monitoring, Duration poll) {
        return new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(poll),
                Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                Optional.empty(), Optional.empty(), Duration.ZERO, monitoring.withRequestLog(RequestLogOptions.defaults()));
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(labels);
        copy.put(name, value);
        return copy;
    }

    private static double delta(Exposition before, Exposition after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static Exposition scrape(String accept) throws Exception {
        HttpResponse<String> response = get(METRICS, accept);
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusTextParser.parse(response.body(), false);
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort().orElseThrow() + path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Files.copy(source, to.resolve(from.relativize(source).toString()));
            }
        }
    }
}
