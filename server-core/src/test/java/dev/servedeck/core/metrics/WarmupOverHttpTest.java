package dev.servedeck.core.metrics;

import static dev.servedeck.core.testing.WarmupFixtures.COUNTER;
import static dev.servedeck.core.testing.WarmupFixtures.HALF_PLUS_TWO;
import static dev.servedeck.core.testing.WarmupFixtures.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.metrics.PrometheusTextParser.Exposition;
import dev.servedeck.core.requestlog.RequestLogOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.HttpJsonClient.Reply;
import dev.servedeck.core.testing.WarmupFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server loading versions with warmup files (two iterations per record): warmed versions become
 * AVAILABLE having really run their records, a failing warmup leaves its version in END with the error while
 * the others serve, and no warmup request shows in the request metrics or the live statistics.
 */
class WarmupOverHttpTest {

    private static final String METRICS = "/monitoring/prometheus/metrics";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;

    private static ModelServer server;
    private static HttpJsonClient client;
    private static Path brokenFile;

    @BeforeAll
    static void startServer() {
        Path warm = WarmupFixtures.copyVersion(HALF_PLUS_TWO, VERSION, dir.resolve("warm"));
        WarmupFixtures.writeWarmup(warm, WarmupFixtures.predictHalfPlusTwo(1f, 2f),
                WarmupFixtures.classifyHalfPlusTwo(2f), WarmupFixtures.regressHalfPlusTwo(3f),
                WarmupFixtures.multiInferenceHalfPlusTwo(4f, "regress_x_to_y"));
        Path counter = WarmupFixtures.copyVersion(COUNTER, VERSION, dir.resolve("counter"));
        WarmupFixtures.writeWarmup(counter, WarmupFixtures.incrementCounter(), WarmupFixtures.incrementCounter(),
                WarmupFixtures.incrementCounter());
        Path broken = WarmupFixtures.copyVersion(HALF_PLUS_TWO, VERSION, dir.resolve("broken"));
        brokenFile = WarmupFixtures.writeWarmup(broken, WarmupFixtures.predictHalfPlusTwo(1f),
                WarmupFixtures.predict("no_such_signature", Map.of()));
        String config = """
                model_config_list {
                  config { name: "warm" base_path: "%1$s/warm" }
                  config { name: "counter" base_path: "%1$s/counter" }
                  config { name: "broken" base_path: "%1$s/broken" }
                }
                """.formatted(dir);
        TensorflowOptions twice = TensorflowOptions.defaults().withWarmup(new ModelWarmupOptions(true, 2));
        ModelServerOptions options = new ModelServerOptions(
                ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO).withTensorflow(twice),
                Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                Optional.empty(), Optional.empty(), Duration.ZERO,
                MonitoringOptions.defaults().withPrometheusPath(METRICS).withRequestLog(RequestLogOptions.defaults()));
        server = ModelServer.start(options, ModelServerConfigFile.parse(config, "test"));
        client = new HttpJsonClient(server.restPort().orElseThrow());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void warmedVersionsServeAndAFailedWarmupEndsOnlyItsVersion() throws Exception {
        // Checked first: nothing a client sent yet, so every request counted would be a warmup request.
        Exposition scrape = scrape();
        assertThat(scrape.find(":tensorflow:serving:request_count", Map.of())).allSatisfy(sample ->
                assertThat(sample.value()).isZero());
        assertThat(scrape.find(":tensorflow:serving:request_latency_count", Map.of())).allSatisfy(sample ->
                assertThat(sample.value()).isZero());
        assertThat(scrape.find(":tensorflow:serving:runtime_latency_count", Map.of())).allSatisfy(sample ->
                assertThat(sample.value()).isZero());
        assertThat(scrape.find("servedeck_requests_total", Map.of())).allSatisfy(sample ->
                assertThat(sample.value()).isZero());
        assertThat(server.statistics().roll().models().values()).allSatisfy(model ->
                assertThat(model.longWindow().requests()).isZero());

        assertThat(state("warm")).isEqualTo("AVAILABLE");
        assertThat(state("counter")).isEqualTo("AVAILABLE");
        Reply broken = client.get("/v1/models/broken");
        assertThat(broken.body().at("/model_version_status/0/state").asText()).isEqualTo("END");
        assertThat(broken.body().at("/model_version_status/0/status/error_code").asText())
                .isEqualTo("FAILED_PRECONDITION");
        assertThat(broken.body().at("/model_version_status/0/status/error_message").asText())
                .contains("Warmup record 1 of " + brokenFile + " failed: ")
                .contains("Serving signature key \"no_such_signature\" not found");

        // 3 records x 2 iterations ran on the session the counter now serves from.
        Reply counted = client.post("/v1/models/counter:predict",
                "{\"signature_name\": \"incr_counter_by\", \"inputs\": {\"delta\": 0.0}}");
        assertThat(counted.status()).isEqualTo(200);
        assertThat(counted.body().at("/outputs").asDouble()).isEqualTo(6.0);
        assertThat(client.post("/v1/models/warm:predict", "{\"instances\": [2.0]}").body().at("/predictions/0").asDouble())
                .isEqualTo(3.0);

        // The client's own requests are counted, one each.
        Exposition after = scrape();
        assertThat(after.value(":tensorflow:serving:request_count", Map.of("model_name", "counter", "status", "OK")))
                .isEqualTo(1);
        assertThat(after.value(":tensorflow:serving:request_count", Map.of("model_name", "warm", "status", "OK")))
                .isEqualTo(1);
    }

    private static String state(String model) {
        return client.get("/v1/models/" + model).body().at("/model_version_status/0/state").asText();
    }

    private static Exposition scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort().orElseThrow() + METRICS)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusTextParser.parse(response.body(), false);
    }
}
