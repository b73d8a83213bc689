package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.proto.config.ModelServerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hook the batch scheduler reports through: polled at scrape time, exact names, removable. */
class MetricSourceTest {

    @Test
    void sourcesArePolledAtScrapeTimeUnderTheirExactNames() throws Exception {
        try (Monitoring monitoring = Monitoring.start(MonitoringOptions.defaults().withMetricsEnabled(false),
                ModelServerConfig::getDefaultInstance)) {
            AutoCloseable source = monitoring.addSource(sink -> {
                sink.gauge("servedeck_batching_queue_depth", "Queued batches.", Map.of("model_name", "m"), 3);
                sink.counter(":tensorflow:serving:batching_session:rejected", "Rejected.", Map.of("model_name", "m"), 7);
                sink.histogram(":tensorflow:serving:batching_session:input_batch_size", "Batch sizes.",
                        Map.of("model_name", "m"), new double[] {1, 2, 4}, new long[] {1, 0, 2, 1}, 13);
            });
            PrometheusTextParser.Exposition scrape = scrape(monitoring);
            assertThat(scrape.value("servedeck_batching_queue_depth", Map.of("model_name", "m"))).isEqualTo(3);
            assertThat(scrape.value(":tensorflow:serving:batching_session:rejected", Map.of())).isEqualTo(7);
            assertThat(scrape.value(":tensorflow:serving:batching_session:input_batch_size_bucket",
                    Map.of("le", "4.0"))).isEqualTo(3);
            assertThat(scrape.value(":tensorflow:serving:batching_session:input_batch_size_count", Map.of()))
                    .isEqualTo(4);
            source.close();
            assertThat(scrape(monitoring).types()).doesNotContainKey("servedeck_batching_queue_depth");
        }
    }

    private static PrometheusTextParser.Exposition scrape(Monitoring monitoring) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        monitoring.exposition().write(out, null);
        return PrometheusTextParser.parse(out.toString(StandardCharsets.UTF_8), false);
    }
}
