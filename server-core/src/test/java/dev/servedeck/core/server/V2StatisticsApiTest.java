package dev.servedeck.core.server;

import static dev.servedeck.core.server.OpenInferenceServers.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.oipclient.InferStatistics;
import dev.servedeck.oipclient.ModelStatistics;
import dev.servedeck.oipclient.ModelStatisticsRequest;
import dev.servedeck.oipclient.ModelStatisticsResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statistics extension through the whole server, over REST and gRPC: what each version served, failed, queued
 * and ran, checked against the traffic sent and against the Prometheus metrics recorded from the same events; the
 * versions answered for are those that exist; the metrics scope reads them.
 */
class V2StatisticsApiTest {

    @BeforeAll
    static void start() throws IOException {
        OpenInferenceServers.start();
    }

    @AfterAll
    static void stop() throws Exception {
        OpenInferenceServers.stop();
    }

    @Test
    void aVersionCountsWhatItServedAndFailed() throws Exception {
        JsonNode before = versionStats(plain, "two", "124", null);
        JsonNode otherBefore = versionStats(plain, "two", "123", null);
        long startedMillis = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            Reply reply = post(plain, "/v2/models/two/versions/124/infer",
                    "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [1, 2]}]}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        }
        stub(channel).modelInfer(oneFloat("two", 4.0f).toBuilder().setModelVersion("124").build());
        assertThat(post(plain, "/v2/models/two/versions/124/infer", oneInput("FP64", "[1.0]")).status()).isEqualTo(400);
        // Naming no version, the call is for the latest available one, 124; naming one that does not exist, for none.
        assertThat(post(plain, "/v2/models/two/infer", oneInput("FP64", "[1.0]")).status()).isEqualTo(400);
        assertThat(post(plain, "/v2/models/two/versions/999/infer", oneInput("FP32", "[1.0]")).status()).isEqualTo(404);
        JsonNode after = versionStats(plain, "two", "124", null);
        long finishedMillis = System.currentTimeMillis();

        assertThat(delta(before, after, "success", "count")).isEqualTo(4);
        assertThat(delta(before, after, "fail", "count")).isEqualTo(2);
        assertThat(delta(before, after, "fail", "ns")).isPositive();
        assertThat(after.get("inference_count").asLong() - before.get("inference_count").asLong()).isEqualTo(7);
        assertThat(after.get("execution_count").asLong() - before.get("execution_count").asLong()).isEqualTo(4);
        // Without batching nothing waits in a batch queue.
        assertThat(delta(before, after, "queue", "count")).isZero();
        long computeNanos = 0;
        for (String phase : List.of("compute_input", "compute_infer", "compute_output")) {
            assertThat(delta(before, after, phase, "count")).as(phase).isEqualTo(4);
            computeNanos += delta(before, after, phase, "ns");
        }
        assertThat(delta(before, after, "compute_infer", "ns")).isPositive();
        // A request's whole duration holds its model run.
        assertThat(delta(before, after, "success", "ns")).isGreaterThan(computeNanos);
        assertThat(after.get("last_inference").asLong()).isBetween(startedMillis, finishedMillis);
        assertThat(batchCount(after, 2) - batchCount(before, 2)).isEqualTo(3);
        assertThat(batchCount(after, 1) - batchCount(before, 1)).isEqualTo(1);
        assertThat(versionStats(plain, "two", "123", null)).isEqualTo(otherBefore);

        // gRPC reads the same numbers, in Triton's messages.
        ModelStatistics grpc = stub(channel).modelStatistics(ModelStatisticsRequest.newBuilder().setName("two")
                .setVersion("124").build()).getModelStats(0);
        InferStatistics inference = grpc.getInferenceStats();
        assertThat(grpc.getVersion()).isEqualTo("124");
        assertThat(grpc.getInferenceCount()).isEqualTo(after.get("inference_count").asLong());
        assertThat(grpc.getExecutionCount()).isEqualTo(after.get("execution_count").asLong());
        assertThat(grpc.getLastInference()).isEqualTo(after.get("last_inference").asLong());
        assertThat(inference.getSuccess().getCount()).isEqualTo(stat(after, "success", "count"));
        assertThat(inference.getSuccess().getNs()).isEqualTo(stat(after, "success", "ns"));
        assertThat(inference.getFail().getCount()).isEqualTo(stat(after, "fail", "count"));
        assertThat(inference.getComputeInfer().getNs()).isEqualTo(stat(after, "compute_infer", "ns"));
        assertThat(grpc.getBatchStatsList()).extracting(batch -> batch.getBatchSize()).contains(1L, 2L);
    }

    @Test
    void everyExistingVersionIsListedAndUnknownOnesAreNotFound() throws Exception {
        Reply all = get(plain, "/v2/models/stats");
        assertThat(all.status()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        all.body().get("model_stats").forEach(entry ->
                listed.add(entry.get("name").asText() + "/" + entry.get("version").asText()));
        assertThat(listed).containsExactly("hp2/123", "multi/1", "tf2/123", "two/123", "two/124");
        assertThat(get(plain, "/v2/models/two/stats").body().get("model_stats")).hasSize(2);
        JsonNode entry = all.body().get("model_stats").get(0);
        assertThat(entry.get("inference_stats").get("cache_hit").get("count").asLong()).isZero();
        assertThat(entry.has("batch_stats")).isTrue();

        assertError(get(plain, "/v2/models/nope/stats"), 404, "nope");
        assertError(get(plain, "/v2/models/two/versions/999/stats"), 404, "999");
        assertError(get(plain, "/v2/models/two/versions/x/stats"), 400, "not a version number");
        assertThat(post(plain, "/v2/models/stats", "{}").status()).isEqualTo(405);
        assertCode(() -> stub(channel).modelStatistics(ModelStatisticsRequest.newBuilder().setName("nope").build()),
                Status.Code.NOT_FOUND, "nope");
        assertCode(() -> stub(channel).modelStatistics(ModelStatisticsRequest.newBuilder().setName("two")
                .setVersion("x").build()), Status.Code.INVALID_ARGUMENT, "not a version number");
        ModelStatisticsResponse everything = stub(channel).modelStatistics(ModelStatisticsRequest.getDefaultInstance());
        assertThat(everything.getModelStatsList()).extracting(stats -> stats.getName() + "/" + stats.getVersion())
                .containsExactlyElementsOf(listed);
    }

    @Test
    void anUnloadedVersionLeavesTheStatisticsAndALoadStartsFromZero() throws Exception {
        assertThat(post(plain, "/v2/models/tf2/infer", oneInput("FP32", "[1.0]")).status()).isEqualTo(200);
        assertThat(stat(versionStats(plain, "tf2", "123", null), "success", "count")).isPositive();

        assertThat(post(plain, "/v2/repository/models/tf2/unload", "").status()).isEqualTo(200);
        assertError(get(plain, "/v2/models/tf2/stats"), 404, "tf2");
        assertThat(get(plain, "/v2/models/stats").body().toString()).doesNotContain("\"tf2\"");

        assertThat(post(plain, "/v2/repository/models/tf2/load", "").status()).isEqualTo(200);
        JsonNode reloaded = versionStats(plain, "tf2", "123", null);
        assertThat(stat(reloaded, "success", "count")).isZero();
        assertThat(reloaded.get("execution_count").asLong()).isZero();
        assertThat(reloaded.get("batch_stats")).isEmpty();
    }

    /**
     * On the batching server: the queue is the batch wait the queuing latency histogram records, a batch is one
     * execution, and every number is the one Prometheus shows for the same events.
     */
    @Test
    void statisticsAndPrometheusReadTheSameRecording() throws Exception {
        JsonNode before = versionStats(guarded, "hp2", "123", SCRAPER);
        Metrics metricsBefore = Metrics.scrape();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(guarded, HttpRequest.newBuilder(uri(guarded, "/v2/models/hp2/infer"))
                                .header("Authorization", "Bearer " + PREDICTOR)
                                .POST(HttpRequest.BodyPublishers.ofString(oneInput("FP32", "[2.0]"))));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            for (CompletableFuture<Reply> reply : replies) {
                assertThat(reply.get().status()).as(reply.get().toString()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        JsonNode after = versionStats(guarded, "hp2", "123", SCRAPER);
        Metrics metricsAfter = Metrics.scrape();

        long executions = after.get("execution_count").asLong() - before.get("execution_count").asLong();
        assertThat(delta(before, after, "success", "count")).isEqualTo(4)
                .isEqualTo(metricsAfter.requests - metricsBefore.requests);
        assertThat(after.get("inference_count").asLong() - before.get("inference_count").asLong())
                .isEqualTo(metricsAfter.rows - metricsBefore.rows);
        assertThat(delta(before, after, "queue", "count")).isEqualTo(4)
                .isEqualTo(metricsAfter.queued - metricsBefore.queued);
        assertThat(executions).isBetween(1L, 4L).isEqualTo(metricsAfter.runs - metricsBefore.runs);
        // Prometheus observes each run's whole time in whole microseconds (rounded down): the same runs' phases.
        long phaseMicros = (delta(before, after, "compute_input", "ns") + delta(before, after, "compute_infer", "ns")
                + delta(before, after, "compute_output", "ns")) / 1_000;
        assertThat(phaseMicros - (metricsAfter.runMicros - metricsBefore.runMicros)).isBetween(0L, executions);
        long batched = 0;
        for (JsonNode batch : after.get("batch_stats")) {
            batched += batch.get("compute_infer").get("count").asLong();
        }
        assertThat(batched).isEqualTo(after.get("execution_count").asLong());
    }

    @Test
    void theMetricsScopeReadsStatistics() throws Exception {
        assertThat(send(guarded, HttpRequest.newBuilder(uri(guarded, "/v2/models/stats")).GET()).status())
                .isEqualTo(401);
        assertThat(send(guarded, HttpRequest.newBuilder(uri(guarded, "/v2/models/stats"))
                .header("Authorization", "Bearer " + PREDICTOR).GET()).status()).isEqualTo(403);
        assertThat(send(guarded, HttpRequest.newBuilder(uri(guarded, "/v2/models/stats"))
                .header("Authorization", "Bearer " + SCRAPER).GET()).status()).isEqualTo(200);
        assertCode(() -> stub(guardedChannel).modelStatistics(ModelStatisticsRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "");
        assertCode(() -> stub(guardedChannel).withInterceptors(bearer(PREDICTOR))
                .modelStatistics(ModelStatisticsRequest.getDefaultInstance()), Status.Code.PERMISSION_DENIED, "");
        assertThat(stub(guardedChannel).withInterceptors(bearer(SCRAPER))
                .modelStatistics(ModelStatisticsRequest.newBuilder().setName("hp2").build()).getModelStatsCount())
                .isEqualTo(1);
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static JsonNode versionStats(ModelServer server, String model, String version, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server,
                "/v2/models/" + model + "/versions/" + version + "/stats")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        Reply reply = send(server, request);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode stats = reply.body().get("model_stats");
        assertThat(stats).hasSize(1);
        assertThat(stats.get(0).get("name").asText()).isEqualTo(model);
        assertThat(stats.get(0).get("version").asText()).isEqualTo(version);
        return stats.get(0);
    }

    private static long stat(JsonNode version, String duration, String field) {
        return version.get("inference_stats").get(duration).get(field).asLong();
    }

    private static long delta(JsonNode before, JsonNode after, String duration, String field) {
        return stat(after, duration, field) - stat(before, duration, field);
    }

    private static long batchCount(JsonNode version, long size) {
        for (JsonNode batch : version.get("batch_stats")) {
            if (batch.get("batch_size").asLong() == size) {
                return batch.get("compute_infer").get("count").asLong();
            }
        }
        return 0;
    }

    /** The guarded server's Prometheus numbers for hp2 version 123, from one scrape. */
    private record Metrics(long requests, long rows, long queued, long runs, long runMicros) {

        static Metrics scrape() throws Exception {
            Reply scrape = send(guarded, HttpRequest.newBuilder(uri(guarded, METRICS))
                    .header("Authorization", "Bearer " + SCRAPER).GET());
            assertThat(scrape.status()).isEqualTo(200);
            String text = scrape.body().asText();
            return new Metrics(
                    sum(text, "servedeck_requests_total{", "model_name=\"hp2\"", "version=\"123\"", "status=\"OK\""),
                    sum(text, "servedeck_request_rows_total{", "model_name=\"hp2\"", "version=\"123\""),
                    sum(text, ":tensorflow:serving:batching_session:queuing_latency_count{"),
                    sum(text, ":tensorflow:serving:runtime_latency_count{", "model_name=\"hp2\"", "API=\"Predict\""),
                    sum(text, ":tensorflow:serving:runtime_latency_sum{", "model_name=\"hp2\"", "API=\"Predict\""));
        }

        private static long sum(String text, String prefix, String... labels) {
            double sum = 0;
            for (String line : text.split("\n")) {
                if (!line.startsWith(prefix)) {
                    continue;
                }
                boolean matches = true;
                for (String label : labels) {
                    matches &= line.contains(label);
                }
                if (matches) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Math.round(sum);
        }
    }
}
