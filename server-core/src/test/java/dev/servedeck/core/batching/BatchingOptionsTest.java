package dev.servedeck.core.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.config.BatchingParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingOptionsTest {

    @Test
    void readsTfServingsBatchingConfig() {
        BatchingOptions options = BatchingParametersFile.read(TfServingTestData.root().resolve("batching_config.txt"));

        assertThat(options.maxBatchSize()).isEqualTo(128);
        assertThat(options.batchTimeoutMicros()).isZero();
        assertThat(options.maxEnqueuedBatches()).isEqualTo(1_000_000);
        assertThat(options.numBatchThreads()).isEqualTo(8);
        assertThat(options.allowedBatchSizes()).isEmpty();
        assertThat(options.enableLargeBatchSplitting()).isFalse();
    }

    @Test
    void printsTextThatParsesBackToTheSameOptions() {
        BatchingOptions options = BatchingParametersFile.parse("""
                max_batch_size { value: 32 }
                batch_timeout_micros { value: 1500 }
                max_enqueued_batches { value: 100 }
                num_batch_threads { value: 2 }
                thread_pool_name { value: "mlp_batch" }
                allowed_batch_sizes: 8
                allowed_batch_sizes: 16
                allowed_batch_sizes: 32
                pad_variable_length_inputs: true
                """, "test");

        String text = BatchingParametersFile.print(options);

        assertThat(BatchingParametersFile.parse(text, "printed")).isEqualTo(options);
        assertThat(text).contains("max_batch_size {\n  value: 32\n}").contains("allowed_batch_sizes: 16");
        assertThat(options.paddedSize(9)).isEqualTo(16);
        assertThat(options.paddedSize(32)).isEqualTo(32);
    }

    @Test
    void largeBatchSplittingUsesTfServingsFieldNumbers() {
        BatchingOptions options = BatchingParametersFile.parse("""
                max_batch_size { value: 100 }
                enable_large_batch_splitting { value: true }
                max_execution_batch_size { value: 16 }
                allowed_batch_sizes: [4, 16]
                """, "test");

        assertThat(options.executionBatchLimit()).isEqualTo(16);
        assertThat(options.toProto().getEnableLargeBatchSplitting().getValue()).isTrue();
        assertThat(options.toProto().getMaxExecutionBatchSize().getValue()).isEqualTo(16);
        assertThat(dev.servedeck.proto.config.BatchingParameters.getDescriptor()
                .findFieldByName("max_execution_batch_size").getNumber()).isEqualTo(9);
        assertThat(dev.servedeck.proto.config.BatchingParameters.getDescriptor()
                .findFieldByName("enable_large_batch_splitting").getNumber()).isEqualTo(8);
    }

    @Test
    void theAdaptiveTimeoutIsServeDecksOwnFieldOnByDefault() {
        assertThat(BatchingOptions.defaults().adaptiveBatchTimeout()).isTrue();
        assertThat(BatchingParametersFile.read(TfServingTestData.root().resolve("batching_config.txt"))
                .adaptiveBatchTimeout()).as("a TF Serving file, which cannot say").isTrue();

        BatchingOptions off = BatchingParametersFile.parse("""
                max_batch_size { value: 32 }
                adaptive_batch_timeout { value: false }
                batch_timeout_micros { value: 2000 }
                """, "test");

        assertThat(off.adaptiveBatchTimeout()).isFalse();
        assertThat(off.maxBatchSize()).isEqualTo(32);
        assertThat(off.batchTimeoutMicros()).isEqualTo(2000);
        assertThat(BatchingParametersFile.parse("adaptive_batch_timeout { value: true }", "test"))
                .isEqualTo(BatchingOptions.defaults());
    }

    @Test
    void savedParametersStayReadableByTfServingUnlessTheAdaptiveTimeoutIsOff() throws Exception {
        BatchingOptions adaptive = BatchingOptions.defaults().withMaxBatchSize(32).withBatchTimeoutMicros(2000);

        String text = BatchingParametersFile.print(adaptive);
        // What tensorflow_model_server does with the file: parse it as its own BatchingParameters.
        BatchingParameters.Builder tfServing = BatchingParameters.newBuilder();
        TextFormat.merge(text, tfServing);
        assertThat(tfServing.build()).isEqualTo(adaptive.toProto());
        assertThat(BatchingParametersFile.parse(text, "saved")).isEqualTo(adaptive);

        String fixed = BatchingParametersFile.print(adaptive.withAdaptiveBatchTimeout(false));
        assertThat(fixed).startsWith(BatchingParametersFile.SERVEDECK_ONLY_NOTE)
                .endsWith("adaptive_batch_timeout {\n}\n");
        assertThat(BatchingParametersFile.parse(fixed, "saved")).isEqualTo(adaptive.withAdaptiveBatchTimeout(false));
    }

    @Test
    void refusesInvalidParametersWithTheReason() {
        assertInvalid("max_batch_size { value: 0 }", "max_batch_size must be at least 1");
        assertInvalid("max_batch_size { value: 8 } allowed_batch_sizes: [2, 4]",
                "the last entry of allowed_batch_sizes must equal max_batch_size (8)");
        assertInvalid("max_batch_size { value: 8 } allowed_batch_sizes: [4, 2, 8]", "positive and increasing");
        assertInvalid("max_batch_size { value: 8 } enable_large_batch_splitting { value: true } "
                + "max_execution_batch_size { value: 9 }", "max_execution_batch_size must be 1..max_batch_size (8)");
        assertInvalid("num_batch_threads { value: 0 }", "num_batch_threads must be 1..");
        assertInvalid("max_enqueued_batches { value: 0 }", "max_enqueued_batches must be at least 1");
        assertInvalid("batch_timeout_micros { value: -1 }", "batch_timeout_micros must not be negative");
        assertInvalid("max_batch_size: 8", "Cannot parse batching parameters in test");
        assertInvalid("unknown_field { value: 1 }", "Cannot parse batching parameters in test");
        assertInvalid("unknown_field { value: 1 }", "tensorflow.serving.BatchingParameters.unknown_field");
        assertInvalid("adaptive_batch_timeout: false", "Cannot parse batching parameters in test");
    }

    @Test
    void withersValidateToo() {
        BatchingOptions options = BatchingOptions.defaults().withMaxBatchSize(8).withAllowedBatchSizes(List.of(4, 8));
        assertThatThrownBy(() -> options.withMaxBatchSize(16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed_batch_sizes");
    }

    private static void assertInvalid(String text, String reason) {
        assertThatThrownBy(() -> BatchingParametersFile.parse(text, "test"))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
}
