package dev.servedeck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Prometheus text read into per-name totals, and the mean batch size taken from two such readings. */
class MeanBatchSizeTest {

    private static final String BEFORE = """
            # HELP servedeck_batching_rows_total Rows run in batches.
            # TYPE servedeck_batching_rows_total counter
            servedeck_batching_rows_total{model_name="mlp",version="1"} 100.0
            servedeck_batching_rows_total{model_name="half_plus_two",version="1"} 10.0
            servedeck_batching_batches_total{model_name="mlp",version="1"} 10
            servedeck_batching_batches_total{model_name="half_plus_two",version="1"} 10
            servedeck_build_info{version="0.1 {dev}",tensorflow_java="1.1.0"} 1 1700000000000
            """;

    private static final String AFTER = """
            servedeck_batching_rows_total{model_name="mlp",version="1"} 3300.0
            servedeck_batching_rows_total{model_name="half_plus_two",version="1"} 10.0
            servedeck_batching_batches_total{model_name="mlp",version="1"} 110
            servedeck_batching_batches_total{model_name="half_plus_two",version="1"} 10
            """;

    @Test
    void sumsEachNameOverItsLabelsAndSkipsComments() {
        PrometheusScrape scrape = PrometheusScrape.parse(BEFORE);

        assertThat(scrape.total("servedeck_batching_rows_total")).hasValue(110.0);
        assertThat(scrape.total("servedeck_build_info")).hasValue(1.0);
        assertThat(scrape.total("# HELP")).isEmpty();
        assertThat(scrape.total("absent")).isEmpty();
    }

    @Test
    void meanBatchSizeIsRowsOverBatchesBetweenTwoScrapes() {
        MeanBatchSize mean = MeanBatchSize.between(PrometheusScrape.parse(BEFORE), PrometheusScrape.parse(AFTER));

        assertThat(mean.mean().getAsDouble()).isCloseTo(32.0, within(1e-9));
        assertThat(mean.label()).isEqualTo("32.0");
    }

    @Test
    void fallsBackToTensorFlowServingsInputBatchSizeHistogram() {
        String before = """
                :tensorflow:serving:batching_session:input_batch_size_bucket{thread_pool_name="b",le="+Inf"} 0
                :tensorflow:serving:batching_session:input_batch_size_sum{thread_pool_name="b"} 0
                :tensorflow:serving:batching_session:input_batch_size_count{thread_pool_name="b"} 0
                """;
        String after = """
                :tensorflow:serving:batching_session:input_batch_size_sum{thread_pool_name="b"} 80
                :tensorflow:serving:batching_session:input_batch_size_count{thread_pool_name="b"} 4
                """;

        MeanBatchSize mean = MeanBatchSize.between(PrometheusScrape.parse(before), PrometheusScrape.parse(after));

        assertThat(mean.label()).isEqualTo("20.0");
    }

    @Test
    void isUnknownWithoutBatchingMetrics() {
        PrometheusScrape plain = PrometheusScrape.parse("servedeck_requests_total{status=\"OK\"} 5\n");

        MeanBatchSize mean = MeanBatchSize.between(plain, plain);

        assertThat(mean.mean()).isEmpty();
        assertThat(mean.label()).isEqualTo("n/a");
    }
}
