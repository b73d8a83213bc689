package dev.servedeck.console.backend.tfserving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.metrics.WindowStatistics;
import dev.servedeck.core.status.Code;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The numbers of the Monitor's charts from two scrapes of a TF Serving Prometheus endpoint, in the text
 * tensorflow_model_server writes (its metric names, labels, buckets in microseconds).
 */
class PrometheusReadingTest {

    private static final Instant T0 = Instant.parse("2026-12-06T07:00:00Z");

    private static String scrape(long ok, long invalid, long under100, long under1000, long all) {
        return """
                # TYPE :tensorflow:serving:request_count counter
                :tensorflow:serving:request_count{model_name="resnet",status="OK"} %d
                :tensorflow:serving:request_count{model_name="resnet",status="INVALID_ARGUMENT"} %d
                # TYPE :tensorflow:serving:request_latency histogram
                :tensorflow:serving:request_latency_bucket{model_name="resnet",API="predict",entrypoint="REST",le="10"} 0
                :tensorflow:serving:request_latency_bucket{model_name="resnet",API="predict",entrypoint="REST",le="100"} %d
                :tensorflow:serving:request_latency_bucket{model_name="resnet",API="predict",entrypoint="REST",le="1000"} %d
                :tensorflow:serving:request_latency_bucket{model_name="resnet",API="predict",entrypoint="REST",le="+Inf"} %d
                :tensorflow:serving:request_latency_sum{model_name="resnet",API="predict",entrypoint="REST"} 1234
                :tensorflow:serving:request_latency_count{model_name="resnet",API="predict",entrypoint="REST"} %d
                # TYPE :tensorflow:cc:saved_model:load_attempt_count counter
                :tensorflow:cc:saved_model:load_attempt_count{model_path="/models/bert_en/1",status="success"} 1
                :tensorflow:cc:saved_model:load_attempt_count{model_path="/models/resnet/00000123/",status="success"} 1
                a line no scraper wrote{
                """.formatted(ok, invalid, under100, under1000, all, all);
    }

    @Test
    void ratesAndPercentilesAreOfTheTimeBetweenTwoScrapes() {
        PrometheusReading before = PrometheusReading.of(T0, scrape(100, 2, 90, 100, 102));
        PrometheusReading after = PrometheusReading.of(T0.plusSeconds(2), scrape(190, 12, 100, 190, 202));

        StatisticsSnapshot snapshot = after.since(before);
        WindowStatistics resnet = snapshot.models().get("resnet").shortWindow();

        assertThat(resnet.requests()).isEqualTo(100);
        assertThat(resnet.requestsPerSecond()).isEqualTo(50.0);
        assertThat(resnet.errors()).isEqualTo(Map.of(Code.INVALID_ARGUMENT, 10L));
        // 100 requests in the window: 10 at most 100 µs, 80 more at most 1000 µs, 10 beyond.
        assertThat(resnet.p50Micros()).isEqualTo(1000);
        assertThat(resnet.p95Micros()).as("beyond the last finite bucket: its bound").isEqualTo(1000);
        assertThat(snapshot.overall().shortWindow().requests()).isEqualTo(100);
        assertThat(snapshot.takenAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(snapshot.batching()).isEmpty();
    }

    @Test
    void aCounterThatWentDownCountsFromZeroAfterARestart() {
        PrometheusReading before = PrometheusReading.of(T0, scrape(100, 2, 90, 100, 102));
        PrometheusReading restarted = PrometheusReading.of(T0.plusSeconds(1), scrape(5, 0, 5, 5, 5));

        WindowStatistics resnet = restarted.since(before).models().get("resnet").shortWindow();

        assertThat(resnet.requests()).isEqualTo(5);
        assertThat(resnet.p99Micros()).isEqualTo(100);
    }

    @Test
    void modelNamesComeFromRequestsAndFromTheFoldersTensorFlowLoaded() {
        assertThat(PrometheusReading.of(T0, scrape(1, 0, 1, 1, 1)).modelNames())
                .containsExactly("bert_en", "resnet");
    }
}
