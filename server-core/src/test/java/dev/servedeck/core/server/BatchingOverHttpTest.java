package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.HttpJsonClient.Reply;
import dev.servedeck.core.testing.TfServingTestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batching end to end: the demo MLP served twice over real HTTP, once with batching off and once on, and
 * many concurrent clients that must get from the batching server exactly what the other one answers.
 */
class BatchingOverHttpTest {

    private static final String BATCHING = """
            max_batch_size { value: 32 }
            batch_timeout_micros { value: 2000 }
            max_enqueued_batches { value: 1000 }
            num_batch_threads { value: 2 }
            """;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingOverHttpTest.class);
    private static final int CLIENTS = 64;

    @TempDir
    static Path models;
    private static ModelServer unbatched;
    private static ModelServer batched;
    private static HttpJsonClient unbatchedClient;
    private static HttpJsonClient batchedClient;

    @BeforeAll
    static void startServers() throws Exception {
        DemoModels.writeMlp(models.resolve("mlp"), 1, 7);
        unbatched = start(BatchingConfig.disabled());
        batched = start(BatchingConfig.enabled(BatchingParametersFile.parse(BATCHING, "test")));
        unbatchedClient = new HttpJsonClient(unbatched.restPort().orElseThrow());
        batchedClient = new HttpJsonClient(batched.restPort().orElseThrow());
    }

    private static ModelServer start(BatchingConfig batching) {
        String config = "model_config_list { config { name: \"mlp\" base_path: \"%s\" } }"
                .formatted(models.resolve("mlp"));
        return ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO).withBatching(batching),
                        Optional.of(RestOptions.defaults().withNumThreads(4).withTimeout(Duration.ofSeconds(30))),
                        Optional.empty(), Duration.ZERO),
                ModelServerConfigFile.parse(config, "test config"));
    }

    @AfterAll
    static void stopServers() {
        for (ModelServer server : new ModelServer[] {batched, unbatched}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void concurrentClientsGetExactlyTheAnswersOfTheUnbatchedServer() throws Exception {
        List<String> bodies = requests(CLIENTS * 4, 11);
        BatchingStats before = batched.core().batchingStats();

        List<Reply> replies = sendConcurrently(batchedClient, bodies, CLIENTS);

        assertMatchesUnbatched(bodies, replies);
        BatchingStats stats = batched.core().batchingStats();
        long batches = stats.batches() - before.batches();
        long rows = stats.rows() - before.rows();
        assertThat(batches).isPositive();
        LOG.info("{} concurrent clients: {} rows in {} batches (mean batch size {}), mean queueing {}",
                CLIENTS, rows, batches, (double) rows / batches, stats.meanQueueingLatency());
        assertThat((double) rows / batches).as("mean batch size").isGreaterThan(1.0);
        assertThat(stats.queuedTasks()).isZero();
    }

    @Test
    void parameterChangesDuringLoadLoseNothing() throws Exception {
        List<String> bodies = requests(CLIENTS * 4, 23);
        List<String> variants = List.of(
                "max_batch_size { value: 8 } batch_timeout_micros { value: 500 } num_batch_threads { value: 1 }"
                        + " max_enqueued_batches { value: 1000 }",
                "max_batch_size { value: 16 } batch_timeout_micros { value: 3000 } num_batch_threads { value: 3 }"
                        + " max_enqueued_batches { value: 1000 } allowed_batch_sizes: [4, 8, 16]",
                "max_batch_size { value: 32 } enable_large_batch_splitting { value: true }"
                        + " max_execution_batch_size { value: 5 } max_enqueued_batches { value: 1000 }"
                        + " num_batch_threads { value: 2 } batch_timeout_micros { value: 1000 }",
                BATCHING);
        AtomicBoolean loadRunning = new AtomicBoolean(true);
        ExecutorService editor = Executors.newSingleThreadExecutor();
        Future<Integer> edits = editor.submit(() -> {
            int applied = 0;
            while (loadRunning.get() || applied < variants.size()) {
                batched.core().updateBatchingParameters(variants.get(applied % variants.size()));
                applied++;
                TimeUnit.MILLISECONDS.sleep(5);
            }
            return applied;
        });
        List<Reply> replies;
        try {
            replies = sendConcurrently(batchedClient, bodies, CLIENTS);
        } finally {
            loadRunning.set(false);
        }
        int applied = edits.get(30, TimeUnit.SECONDS);
        editor.shutdown();

        assertThat(applied).isGreaterThanOrEqualTo(variants.size());
        assertMatchesUnbatched(bodies, replies);
        assertThat(batched.core().batchingStats().queuedTasks()).isZero();
        batched.core().updateBatchingParameters(BATCHING);
    }

    @Test
    void oneClientAtATimeIsAnsweredWithoutWaitingForTheTimeout() {
        // An hour's timeout: only the adaptive timeout can answer these before the REST timeout (30 s) does. Each
        // request is on its way through the core (decoding) and then alone in its queue; the one that cannot batch
        // must stop being expected too, or it would hold the next.
        batched.core().updateBatchingParameters(BATCHING.replace("2000", "3600000000"));
        try {
            String body = requests(1, 3).get(0);
            for (int i = 0; i < 3; i++) {
                assertThat(batchedClient.post("/v1/models/mlp:predict", body).status()).isEqualTo(200);
                assertThat(batchedClient.post("/v1/models/mlp:predict", "{\"instances\": [[1.0, 2.0]]}").status())
                        .as("too narrow to batch").isEqualTo(400);
            }
            assertThat(batched.core().batchingStats().maxQueueingLatency()).isLessThan(Duration.ofSeconds(1));
        } finally {
            batched.core().updateBatchingParameters(BATCHING);
        }
    }

    @Test
    void invalidParametersAreRefusedWithTheReasonAndTheOldOnesStay() {
        BatchingOptions before = batched.core().batchingOptions();

        assertThatThrownBy(() -> batched.core().updateBatchingParameters(
                "max_batch_size { value: 8 } allowed_batch_sizes: [2, 4]"))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("the last entry of allowed_batch_sizes must equal max_batch_size (8)")
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));

        assertThat(batched.core().batchingOptions()).isEqualTo(before);
        assertThat(BatchingParametersFile.parse(batched.core().batchingParametersText(), "saved")).isEqualTo(before);
    }

    @Test
    void batchingOffRefusesLiveUpdates() {
        assertThat(unbatched.core().batchingEnabled()).isFalse();
        assertThatThrownBy(() -> unbatched.core().updateBatchingParameters(BATCHING))
                .isInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
    }

    @Test
    void requestsThatCannotBatchPassThroughAndGetTheUsualErrors() {
        BatchingStats before = batched.core().batchingStats();
        Reply wrongWidth = batchedClient.post("/v1/models/mlp:predict", "{\"instances\": [[1.0, 2.0]]}");

        assertThat(wrongWidth.status()).isEqualTo(400);
        assertThat(wrongWidth.error()).isEqualTo(unbatchedClient.post("/v1/models/mlp:predict",
                "{\"instances\": [[1.0, 2.0]]}").error());
        assertThat(batched.core().batchingStats().passedThrough()).isEqualTo(before.passedThrough() + 1);
    }

    @Test
    void statefulCounterModelPassesThroughUnbatchedWithItsStateIntact() throws Exception {
        Path counter = TfServingTestData.model("saved_model_counter");
        String config = "model_config_list { config { name: \"counter\" base_path: \"%s\" } }".formatted(counter);
        try (ModelServer server = ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                                .withBatching(BatchingConfig.enabled(BatchingParametersFile.parse(BATCHING, "test"))),
                        Optional.of(RestOptions.defaults().withNumThreads(4)), Optional.empty(), Duration.ZERO),
                ModelServerConfigFile.parse(config, "test config"))) {
            HttpJsonClient client = new HttpJsonClient(server.restPort().orElseThrow());
            String increment = "{\"signature_name\": \"incr_counter_by\", \"inputs\": {\"delta\": 1.0}}";

            // One at a time: the counter's assign_add does not lock its variable, so concurrent increments
            // could lose updates inside TensorFlow whatever the server does.
            List<Reply> replies = sendConcurrently(client, java.util.Collections.nCopies(20, increment), 1);

            assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(200));
            assertThat(replies).extracting(reply -> reply.body().path("outputs").floatValue())
                    .allSatisfy(value -> assertThat(value).isBetween(1f, 20f));
            Reply total = client.post("/v1/models/counter:predict",
                    "{\"signature_name\": \"incr_counter_by\", \"inputs\": {\"delta\": 0.0}}");
            assertThat(total.body().path("outputs").floatValue()).isEqualTo(20f);
            BatchingStats stats = server.core().batchingStats();
            assertThat(stats.batches()).isZero();
            assertThat(stats.passedThrough()).isEqualTo(21);
        }
    }

    /** Predict bodies of 1-3 images each, with seeded pixel values. */
    private static List<String> requests(int count, long seed) {
        Random random = new Random(seed);
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int rows = 1 + random.nextInt(3);
            StringBuilder body = new StringBuilder("{\"instances\": [");
            for (int r = 0; r < rows; r++) {
                body.append(r == 0 ? "[" : ", [");
                for (int p = 0; p < 784; p++) {
                    body.append(p == 0 ? "" : ",").append(random.nextInt(256) / 255f);
                }
                body.append(']');
            }
            bodies.add(body.append("]}").toString());
        }
        return bodies;
    }

    private static List<Reply> sendConcurrently(HttpJsonClient client, List<String> bodies, int clients)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            String path = bodies.get(0).contains("counter") || bodies.get(0).contains("delta")
                    ? "/v1/models/counter:predict" : "/v1/models/mlp:predict";
            List<Future<Reply>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> client.post(path, body)));
            }
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get(60, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertMatchesUnbatched(List<String> bodies, List<Reply> replies) {
        for (int i = 0; i < bodies.size(); i++) {
            Reply expected = unbatchedClient.post("/v1/models/mlp:predict", bodies.get(i));
            Reply actual = replies.get(i);
            assertThat(actual.status()).as("status of request %d: %s", i, actual.body()).isEqualTo(200);
            JsonNode expectedRows = expected.body().path("predictions");
            JsonNode actualRows = actual.body().path("predictions");
            assertThat(actualRows.size()).as("rows of request %d", i).isEqualTo(expectedRows.size()).isPositive();
            for (int r = 0; r < expectedRows.size(); r++) {
                assertThat(actualRows.get(r).path("classes").asLong())
                        .isEqualTo(expectedRows.get(r).path("classes").asLong());
                JsonNode expectedProbabilities = expectedRows.get(r).path("probabilities");
                JsonNode actualProbabilities = actualRows.get(r).path("probabilities");
                assertThat(actualProbabilities.size()).isEqualTo(10);
                for (int c = 0; c < 10; c++) {
                    // A batched matrix product may sum in another order: equal up to float rounding.
                    assertThat(actualProbabilities.get(c).asDouble())
                            .isCloseTo(expectedProbabilities.get(c).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }
}
