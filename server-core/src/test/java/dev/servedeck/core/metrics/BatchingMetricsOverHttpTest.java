package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.metrics.PrometheusTextParser.Exposition;
import dev.servedeck.core.metrics.PrometheusTextParser.Sample;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.HttpJsonClient.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching metrics of a real server: the demo MLP batched over real HTTP under concurrent clients, the
 * scrape parsed strictly and checked against what was sent and against the scheduler's own statistics.
 */
class BatchingMetricsOverHttpTest {

    private static final String BATCHING = """
            max_batch_size { value: 32 }
            batch_timeout_micros { value: 2000 }
            max_enqueued_batches { value: 1000 }
            num_batch_threads { value: 2 }
            """;
    private static final String METRICS = "/monitoring/prometheus/metrics";
    private static final String QUEUING_LATENCY = ":tensorflow:serving:batching_session:queuing_latency";
    private static final String INPUT_BATCH_SIZE = ":tensorflow:serving:batching_session:input_batch_size";
    private static final String PROCESSED_BATCH_SIZE = ":tensorflow:serving:batching_session:processed_batch_size";
    private static final String PADDING_SIZE = ":tensorflow:serving:batching_session:padding_size";
    private static final Map<String, String> MLP = Map.of("model_name", "mlp");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path models;
    private static ModelServer server;
    private static HttpJsonClient client;

    @BeforeAll
    static void startServer() throws IOException {
        DemoModels.writeMlp(models.resolve("mlp"), 1, 7);
        String config = "model_config_list { config { name: \"mlp\" base_path: \"%s\" } }"
                .formatted(models.resolve("mlp"));
        server = ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                                .withBatching(BatchingConfig.enabled(BatchingParametersFile.parse(BATCHING, "test"))),
                        Optional.of(RestOptions.defaults().withNumThreads(4).withTimeout(Duration.ofSeconds(30))),
                        Optional.empty(), Optional.empty(), Duration.ZERO,
                        MonitoringOptions.defaults().withPrometheusPath(METRICS)),
                ModelServerConfigFile.parse(config, "test config"));
        client = new HttpJsonClient(server.restPort().orElseThrow());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void restoreParameters() {
        server.core().updateBatchingParameters(BATCHING);
    }

    @Test
    void concurrentRequestsAreCountedUnderTfServingsNamesAndPerModel() throws Exception {
        List<String> bodies = new ArrayList<>();
        int rowsSent = 0;
        Random random = new Random(5);
        for (int i = 0; i < 96; i++) {
            int rows = 1 + random.nextInt(3);
            bodies.add(predictBody(rows, random));
            rowsSent += rows;
        }
        Exposition before = scrape();
        BatchingStats statsBefore = server.core().batchingStats();

        sendConcurrently(bodies, 16);
        assertThat(client.post("/v1/models/mlp:predict", "{\"instances\": [[1.0, 2.0]]}").status())
                .as("too narrow to batch: passes through and fails as unbatched").isEqualTo(400);
        Exposition after = scrape();
        long batches = server.core().batchingStats().batches() - statsBefore.batches();

        assertThat(after.types()).containsEntry(QUEUING_LATENCY, "histogram")
                .containsEntry(INPUT_BATCH_SIZE, "histogram")
                .containsEntry(PROCESSED_BATCH_SIZE, "histogram")
                .containsEntry(PADDING_SIZE, "histogram")
                .containsEntry("servedeck_batching_batches_total", "counter")
                .containsEntry("servedeck_batching_rows_total", "counter")
                .containsEntry("servedeck_batching_rejected_total", "counter")
                .containsEntry("servedeck_batching_expired_total", "counter")
                .containsEntry("servedeck_batching_passed_through_total", "counter")
                .containsEntry("servedeck_batching_queue_depth_tasks", "gauge")
                .containsEntry("servedeck_batching_queue_depth_rows", "gauge");
        assertThat(batches).isPositive().isLessThan(bodies.size());

        assertThat(delta(before, after, "servedeck_batching_rows_total", MLP)).isEqualTo(rowsSent);
        assertThat(delta(before, after, "servedeck_batching_batches_total", MLP)).isEqualTo(batches);
        assertThat(delta(before, after, "servedeck_batching_passed_through_total", MLP)).isEqualTo(1);
        assertThat(after.value("servedeck_batching_queue_depth_tasks", MLP)).isZero();
        assertThat(after.value("servedeck_batching_queue_depth_rows", MLP)).isZero();

        // TF Serving's labels exactly: none on the batch sizes, the pool on the latency, the padded size on padding.
        Map<String, String> pool = Map.of("thread_pool_name", BatchingOptions.DEFAULT_THREAD_POOL_NAME);
        assertThat(labelNames(after, QUEUING_LATENCY)).containsExactly("thread_pool_name");
        assertThat(labelNames(after, INPUT_BATCH_SIZE)).isEmpty();
        assertThat(labelNames(after, PROCESSED_BATCH_SIZE)).isEmpty();
        assertThat(labelNames(after, PADDING_SIZE)).containsExactly("execution_batch_size");
        assertThat(delta(before, after, QUEUING_LATENCY + "_count", pool)).isEqualTo(bodies.size());
        assertThat(delta(before, after, INPUT_BATCH_SIZE + "_count", Map.of())).isEqualTo(bodies.size());
        assertThat(delta(before, after, INPUT_BATCH_SIZE + "_sum", Map.of())).isEqualTo(rowsSent);
        assertThat(delta(before, after, PROCESSED_BATCH_SIZE + "_count", Map.of())).isEqualTo(batches);
        assertThat(delta(before, after, PROCESSED_BATCH_SIZE + "_sum", Map.of()))
                .as("no allowed_batch_sizes: nothing padded").isEqualTo(rowsSent);
        assertThat(sum(after, PADDING_SIZE + "_count") - sum(before, PADDING_SIZE + "_count")).isEqualTo(batches);
        assertThat(sum(after, PADDING_SIZE + "_sum")).isZero();

        List<Sample> latencyBuckets = after.find(QUEUING_LATENCY + "_bucket", pool);
        assertThat(latencyBuckets).hasSize(53);
        assertThat(latencyBuckets.get(0).labels()).containsEntry("le", "100.0");
        assertThat(latencyBuckets.get(1).labels()).containsEntry("le", "120.0");
        List<Sample> sizeBuckets = after.find(PROCESSED_BATCH_SIZE + "_bucket", Map.of());
        assertThat(sizeBuckets).hasSize(15);
        assertThat(sizeBuckets.get(13).labels()).containsEntry("le", "8192.0");

        StatisticsSnapshot live = server.statistics().roll();
        assertThat(live.batching()).hasValueSatisfying(batching -> assertThat(batching.queuedTasks()).isZero());
    }

    @Test
    void aRequestRefusedBecauseItsQueueIsFullCountsAsRejected() throws Exception {
        // One batch of at most 4 rows may wait, and it waits a whole second for company (TF Serving's fixed timeout:
        // the adaptive one would run a lone request at once).
        server.core().updateBatchingParameters("max_batch_size { value: 4 } batch_timeout_micros { value: 1000000 }"
                + " max_enqueued_batches { value: 1 } num_batch_threads { value: 1 }"
                + " adaptive_batch_timeout { value: false }");
        Exposition before = scrape();
        Random random = new Random(9);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Reply> waiting = caller.submit(() -> client.post("/v1/models/mlp:predict", predictBody(3, random)));
            awaitQueued(1);

            Reply refused = client.post("/v1/models/mlp:predict", predictBody(3, random));
            Exposition after = scrape();
            server.core().updateBatchingParameters(BATCHING);

            assertThat(refused.status()).isEqualTo(429);
            assertThat(delta(before, after, "servedeck_batching_rejected_total", MLP)).isEqualTo(1);
            assertThat(after.value("servedeck_batching_queue_depth_tasks", MLP)).isEqualTo(1);
            assertThat(after.value("servedeck_batching_queue_depth_rows", MLP)).isEqualTo(3);
            assertThat(delta(before, after, INPUT_BATCH_SIZE + "_count", Map.of()))
                    .as("as TF Serving, refused requests count as inputs").isEqualTo(2);
            assertThat(waiting.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            caller.shutdownNow();
        }
    }

    private static void awaitQueued(int tasks) throws InterruptedException {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.core().batchingStats().queuedTasks() < tasks) {
            assertThat(System.nanoTime()).as("waiting for %d queued request(s)", tasks).isLessThan(giveUpAt);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static String predictBody(int rows, Random random) {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int r = 0; r < rows; r++) {
            body.append(r == 0 ? "[" : ", [");
            for (int p = 0; p < 784; p++) {
                body.append(p == 0 ? "" : ",").append(random.nextInt(256) / 255f);
            }
            body.append(']');
        }
        return body.append("]}").toString();
    }

    private static void sendConcurrently(List<String> bodies, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (String body : bodies) {
                replies.add(CompletableFuture.supplyAsync(() -> client.post("/v1/models/mlp:predict", body), pool));
            }
            for (CompletableFuture<Reply> reply : replies) {
                assertThat(reply.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The label names of a histogram's series, {@code le} aside. */
    private static List<String> labelNames(Exposition exposition, String histogram) {
        List<Sample> buckets = exposition.find(histogram + "_bucket", Map.of());
        assertThat(buckets).as(histogram + " buckets").isNotEmpty();
        return buckets.get(0).labels().keySet().stream().filter(name -> !name.equals("le")).sorted().toList();
    }

    private static double sum(Exposition exposition, String name) {
        return exposition.find(name, Map.of()).stream().mapToDouble(Sample::value).sum();
    }

    private static double delta(Exposition before, Exposition after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static Exposition scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.restPort().orElseThrow() + METRICS)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusTextParser.parse(response.body(), false);
    }
}
