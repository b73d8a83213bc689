package dev.servedeck.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.FloatColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.TensorProto;

/** --enable_per_model_batching_parameters: a version's batching_params.pbtxt replaces the shared parameters. */
class PerModelBatchingTest {

    @Test
    void versionWithItsOwnParametersUsesThemOthersUseTheSharedOnes(@TempDir Path dir) throws Exception {
        Path own = DemoModels.writeHalfPlusTwo(dir.resolve("own"), 1);
        Files.writeString(own.resolve("batching_params.pbtxt"), "max_batch_size { value: 2 }\n");
        DemoModels.writeHalfPlusTwo(dir.resolve("shared"), 1);
        ServerCoreOptions options = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                .withBatching(BatchingConfig.enabled(BatchingOptions.defaults().withMaxBatchSize(8)
                        .withNumBatchThreads(1)).withPerModelParameters(true));

        try (ServerCore core = ServerCore.start(options, config(dir, "own", "shared"))) {
            TensorProto threeRows = FloatColumns.column(1, 2, 3);

            assertThat(y(core.predict(ModelSpec.latest("shared"), Set.of(), sig -> Map.of("x", threeRows))))
                    .containsExactly(2.5f, 3f, 3.5f);
            assertThatThrownBy(() -> core.predict(ModelSpec.latest("own"), Set.of(), sig -> Map.of("x", threeRows)))
                    .isInstanceOf(ServingException.class)
                    .hasMessage("Task size 3 is larger than maximum input batch size 2");
            assertThat(y(core.predict(ModelSpec.latest("own"), Set.of(), sig -> Map.of("x", FloatColumns.column(4, 6)))))
                    .containsExactly(4f, 5f);
            assertThat(core.batchingStats().batches()).isEqualTo(2);
        }
    }

    @Test
    void invalidPerModelParametersFailThatVersionsLoadNamingTheFile(@TempDir Path dir) throws Exception {
        Path bad = DemoModels.writeHalfPlusTwo(dir.resolve("bad"), 1);
        Files.writeString(bad.resolve("batching_params.pbtxt"), "max_batch_size { value: 4 } allowed_batch_sizes: 2\n");
        ServerCoreOptions options = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                .withBatching(BatchingConfig.enabled(BatchingOptions.defaults().withNumBatchThreads(1))
                        .withPerModelParameters(true));

        try (ServerCore core = ServerCore.start(options, config(dir, "bad"))) {
            var state = core.status(ModelSpec.latest("bad")).get(0);
            assertThat(state.state()).isEqualTo(ManagerState.END);
            assertThat(state.health().code()).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(state.health().message()).contains("batching_params.pbtxt")
                    .contains("the last entry of allowed_batch_sizes must equal max_batch_size (4)");
        }
    }

    private static dev.servedeck.proto.config.ModelServerConfig config(Path dir, String... names) {
        StringBuilder text = new StringBuilder("model_config_list {\n");
        for (String name : names) {
            text.append("  config { name: \"").append(name).append("\" base_path: \"")
                    .append(dir.resolve(name)).append("\" }\n");
        }
        return ModelServerConfigFile.parse(text.append("}\n").toString(), "test");
    }

    private static float[] y(PredictResult result) {
        return FloatColumns.values(result.outputs().get("y"));
    }
}
