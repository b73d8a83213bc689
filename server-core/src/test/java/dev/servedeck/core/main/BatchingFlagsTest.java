package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.TfServingTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * --enable_batching, --batching_parameters_file, --enable_per_model_batching_parameters and ServeDeck's
 * --batching_adaptive_timeout, parsed in process.
 */
class BatchingFlagsTest {

    @Test
    void batchingIsOffByDefault() {
        assertThat(batching()).isEqualTo(BatchingConfig.disabled());
    }

    @Test
    void parametersFileAndPerModelFlagApplyWithEnableBatching() {
        Path file = TfServingTestData.root().resolve("batching_config.txt");

        BatchingConfig config = batching("--enable_batching", "--batching_parameters_file=" + file,
                "--enable_per_model_batching_parameters");

        assertThat(config.enabled()).isTrue();
        assertThat(config.perModelParameters()).isTrue();
        assertThat(config.options().maxBatchSize()).isEqualTo(128);
        assertThat(config.options().numBatchThreads()).isEqualTo(8);
    }

    @Test
    void parametersFileIsIgnoredWithoutEnableBatchingAsTfServingDoes() {
        Path file = TfServingTestData.root().resolve("batching_config.txt");
        assertThat(batching("--batching_parameters_file=" + file).enabled()).isFalse();
    }

    @Test
    void theAdaptiveTimeoutIsOnUnlessTheFileOrTheFlagSaysOtherwise(@TempDir Path dir) throws Exception {
        Path tfServingFile = TfServingTestData.root().resolve("batching_config.txt");
        Path fixedFile = Files.writeString(dir.resolve("fixed.txt"), "adaptive_batch_timeout { value: false }");

        assertThat(batching("--enable_batching").options().adaptiveBatchTimeout()).isTrue();
        assertThat(batching("--enable_batching", "--batching_parameters_file=" + tfServingFile).options()
                .adaptiveBatchTimeout()).isTrue();
        assertThat(batching("--enable_batching", "--batching_parameters_file=" + fixedFile).options()
                .adaptiveBatchTimeout()).isFalse();
        BatchingConfig flagOff = batching("--enable_batching", "--batching_parameters_file=" + tfServingFile,
                "--batching_adaptive_timeout=false");
        assertThat(flagOff.options().adaptiveBatchTimeout()).isFalse();
        assertThat(flagOff.options().maxBatchSize()).as("the rest is the file's").isEqualTo(128);
        assertThat(batching("--enable_batching", "--batching_parameters_file=" + fixedFile,
                "--batching_adaptive_timeout").options().adaptiveBatchTimeout()).as("the flag wins").isTrue();
    }

    @Test
    void invalidParametersFileIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("batching.txt"), "max_batch_size { value: -1 }");

        assertThatThrownBy(() -> batching("--enable_batching=true", "--batching_parameters_file=" + file))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("max_batch_size must be at least 1")
                .hasMessageContaining(file.toString());
    }

    private static BatchingConfig batching(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.serverOptions().core().batching();
    }
}
