package dev.servedeck.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.FloatColumns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --max_in_flight_tensor_bytes on the real core: requests waiting for their batch hold their tensor bytes, a request
 * that does not fit beside them answers RESOURCE_EXHAUSTED at once, and the bytes come back with the answers.
 */
class TensorsInFlightTest {

    @TempDir
    Path dir;

    @Test
    void requestsHoldTheirBytesUntilAnsweredAndOneThatDoesNotFitIsRefusedAtOnce() throws Exception {
        DemoModels.writeHalfPlusTwo(dir.resolve("m"), 1);
        // Batches of four, or whatever is queued after half a second (TF Serving's fixed timeout: the adaptive one
        // would run each of these lone requests at once); room for three one-float requests in flight.
        BatchingOptions batching = BatchingOptions.defaults().withMaxBatchSize(4).withBatchTimeoutMicros(500_000)
                .withNumBatchThreads(1).withAdaptiveBatchTimeout(false);
        ServerCoreOptions options = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                .withBatching(BatchingConfig.enabled(batching)).withTensorByteLimit(new TensorByteLimit(4, 12));
        try (ServerCore core = ServerCore.start(options, ModelServerConfigFile.parse(
                "model_config_list { config { name: \"m\" base_path: \"" + dir.resolve("m") + "\" } }", "test"))) {
            List<CompletableFuture<PredictResult>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(predict(core, i));
            }
            CompletableFuture<PredictResult> refused = predict(core, 3f);
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(ServingException.class,
                    e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED))
                    .hasMessageContaining("Requests in flight already declare 12 bytes of tensors");

            for (int i = 0; i < 3; i++) {
                assertThat(FloatColumns.values(waiting.get(i).get(10, TimeUnit.SECONDS).outputs().get("y")))
                        .containsExactly(0.5f * i + 2);
            }
            assertThat(FloatColumns.values(predict(core, 4f).get(10, TimeUnit.SECONDS).outputs().get("y")))
                    .as("the bytes came back with the answers").containsExactly(4f);
        }
    }

    private static CompletableFuture<PredictResult> predict(ServerCore core, float x) {
        return core.predictAsync(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", FloatColumns.column(x)));
    }
}
