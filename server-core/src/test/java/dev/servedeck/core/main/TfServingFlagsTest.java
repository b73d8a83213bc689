package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.lifecycle.LoadRetries;
import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import dev.servedeck.core.tls.TlsOptions;
import dev.servedeck.core.testing.PlatformConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * tensorflow_model_server's loading, session and platform flags, and the ones ServeDeck accepts and ignores,
 * parsed in process: what each one turns into.
 */
class TfServingFlagsTest {

    @TempDir
    Path temp;

    @Test
    void loadsAreRetriedFiveTimesAMinuteApartByDefaultAsTfServingDoes() {
        ServerCoreOptions core = core();

        assertThat(core.loadRetries()).isEqualTo(new LoadRetries(5, Duration.ofMinutes(1)));
        assertThat(core.loadThreads()).isEqualTo(ModelLoadingFlags.DEFAULT_LOAD_THREADS);
        assertThat(core.unloadThreads()).isEqualTo(ModelLoadingFlags.DEFAULT_UNLOAD_THREADS);
    }

    @Test
    void retryAndThreadFlagsAreHonoured() {
        ServerCoreOptions core = core("--max_num_load_retries=2", "--load_retry_interval_micros=1500000",
                "--num_load_threads=3", "--num_unload_threads=2");

        assertThat(core.loadRetries()).isEqualTo(new LoadRetries(2, Duration.ofMillis(1500)));
        assertThat(core.loadThreads()).isEqualTo(3);
        assertThat(core.unloadThreads()).isEqualTo(2);
        assertThat(core("--load_retry_interval_micros=-1").loadRetries().interval())
                .as("negative: no wait, as in TF Serving").isZero();
        assertThat(core("--max_num_load_retries=0").loadRetries()).isEqualTo(new LoadRetries(0, Duration.ofMinutes(1)));
        assertThatThrownBy(() -> core("--max_num_load_retries=-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max_num_load_retries");
    }

    @Test
    void sessionParallelismSetsBothPoolsUnlessAPerOpFlagIsGiven() {
        assertThat(parallelism()).containsExactly(0, TensorflowOptions.CALLING_THREAD);
        assertThat(parallelism("--tensorflow_session_parallelism=4")).containsExactly(4, 4);
        assertThat(parallelism("--tensorflow_session_parallelism=4", "--tensorflow_intra_op_parallelism=2"))
                .as("as tensorflow_model_server: the per-op flags win").containsExactly(2, TensorflowOptions.CALLING_THREAD);
        assertThat(parallelism("--tensorflow_intra_op_parallelism=0", "--tensorflow_inter_op_parallelism=0"))
                .containsExactly(0, 0);
        assertThatThrownBy(() -> parallelism("--tensorflow_session_parallelism=4", "--tensorflow_intra_op_parallelism=2",
                "--tensorflow_inter_op_parallelism=2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("You cannot configure all");
    }

    @Test
    void theSessionConfigFileReachesEverySessionAndTheFlagsOverrideItsThreads() throws Exception {
        Path file = Files.writeString(temp.resolve("session.pbtxt"), "intra_op_parallelism_threads: 3\n"
                + "inter_op_parallelism_threads: 5\nallow_soft_placement: true\ngpu_options { allow_growth: true }\n");

        TensorflowOptions fromFile = tensorflow("--tensorflow_session_config_file=" + file);
        assertThat(fromFile.sessionConfig().getAllowSoftPlacement()).isTrue();
        assertThat(fromFile.sessionConfig().getGpuOptions().getAllowGrowth()).isTrue();
        assertThat(List.of(fromFile.intraOpParallelism(), fromFile.interOpParallelism())).containsExactly(3, 5);

        TensorflowOptions overridden = tensorflow("--tensorflow_session_config_file=" + file,
                "--tensorflow_inter_op_parallelism=1", "--per_process_gpu_memory_fraction=0.5");
        assertThat(List.of(overridden.intraOpParallelism(), overridden.interOpParallelism())).containsExactly(3, 1);
        assertThat(overridden.sessionConfig().getGpuOptions().getPerProcessGpuMemoryFraction()).isEqualTo(0.5);
        assertThat(overridden.sessionConfig().getGpuOptions().getAllowGrowth()).isTrue();
    }

    @Test
    void aPlatformConfigFileDecidesSessionBatchingTagsAndWarmupAndReplacesTheirFlags() throws Exception {
        Path file = Files.writeString(temp.resolve("platform.pbtxt"), PlatformConfigs.tensorflow("""
                session_config { intra_op_parallelism_threads: 2 allow_soft_placement: true }
                batching_parameters { max_batch_size { value: 16 } num_batch_threads { value: 3 } }
                saved_model_tags: "serve"
                saved_model_tags: "gpu"
                enable_model_warmup: true
                model_warmup_options { num_request_iterations { value: 4 } }
                remove_unused_fields_from_bundle_metagraph: true
                """) + "platform_configs { key: \"other\" value { } }\n");

        ServerCoreOptions core = core("--platform_config_file=" + file, "--enable_batching=false",
                "--tensorflow_session_parallelism=8", "--enable_model_warmup=false", "--enable_signature_method_name_check");

        assertThat(core.batching().enabled()).as("batching_parameters present: batching on").isTrue();
        assertThat(core.batching().options().maxBatchSize()).isEqualTo(16);
        assertThat(core.batching().options().numBatchThreads()).isEqualTo(3);
        TensorflowOptions tensorflow = core.tensorflow();
        assertThat(tensorflow.tags()).isEqualTo(Set.of("serve", "gpu"));
        assertThat(tensorflow.sessionConfig().getAllowSoftPlacement()).isTrue();
        assertThat(List.of(tensorflow.intraOpParallelism(), tensorflow.interOpParallelism()))
                .containsExactly(2, TensorflowOptions.CALLING_THREAD);
        assertThat(tensorflow.warmup()).isEqualTo(new ModelWarmupOptions(true, 4));
        assertThat(tensorflow.signatureMethodNameCheck()).as("not part of a platform config").isTrue();
    }

    @Test
    void aPlatformConfigWithoutTheTensorflowPlatformIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("platform.pbtxt"), "platform_configs { key: \"other\" value {} }");

        assertThatThrownBy(() -> core("--platform_config_file=" + file))
                .hasMessageContaining("no \"tensorflow\" platform").hasMessageContaining(file.toString());
    }

    @Test
    void emptyFileFlagsMeanNotGivenAsInTfServing() {
        ServerCommand command = parse("--ssl_config_file=", "--platform_config_file=", "--batching_parameters_file=",
                "--tensorflow_session_config_file=", "--monitoring_config_file=", "--model_config_file=");

        assertThat(command.sslConfigFile).isNull();
        assertThat(command.platformConfigFile).isNull();
        assertThat(command.serverOptions().core().tensorflow()).isEqualTo(TensorflowOptions.defaults());
    }

    @Test
    void sslConfigFileTurnsOnTlsReloadedEveryMinuteUnlessToldOtherwise() {
        assertThat(parse("--ssl_config_file=/etc/tls/ssl.config").serverOptions().tls())
                .contains(new TlsOptions(Path.of("/etc/tls/ssl.config"), Duration.ofSeconds(60)));
        assertThat(parse("--ssl_config_file=ssl.config", "--ssl_config_file_poll_wait_seconds=0").serverOptions().tls())
                .contains(new TlsOptions(Path.of("ssl.config"), Duration.ZERO));
        assertThat(parse().serverOptions().tls()).isEmpty();
    }

    @Test
    void everyIgnoredFlagIsAcceptedAndNamedInAWarningUnlessItAsksForWhatServeDeckDoes() {
        ServerCommand command = parse("--grpc_socket_path=/tmp/tfs.sock", "--flush_filesystem_caches=true",
                "--xla_cpu_compilation_enabled", "--mixed_precision=bfloat16", "--num_tflite_pools=4",
                "--enable_grpc_healthcheck_service=true", "--enable_serialization_as_tensor_content=false",
                "--prefer_tflite_model=false", "--thread_pool_factory_config_file=");

        List<String> warnings = IgnoredFlag.warnings(command.spec.commandLine().getParseResult());

        assertThat(warnings).hasSize(6).allMatch(warning -> warning.contains("ignored: "));
        assertThat(warnings).anyMatch(w -> w.startsWith("--grpc_socket_path=/tmp/tfs.sock is accepted"))
                .anyMatch(w -> w.startsWith("--flush_filesystem_caches=true"))
                .anyMatch(w -> w.startsWith("--xla_cpu_compilation_enabled=true"))
                .anyMatch(w -> w.startsWith("--mixed_precision=bfloat16"))
                .anyMatch(w -> w.startsWith("--num_tflite_pools=4"))
                .anyMatch(w -> w.startsWith("--enable_serialization_as_tensor_content=false"));
    }

    @Test
    void versionIsPrintedForTheBareFlagAndForVersionTrue() {
        for (String flag : List.of("--version", "--version=true")) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = ServerCommand.commandLine(new ServerCommand());
            commandLine.setOut(new PrintWriter(out));

            assertThat(commandLine.execute(flag)).isZero();
            assertThat(out.toString()).as(flag).contains("ServeDeck");
        }
        assertThat(parse("--version=false").versionRequested).as("--version=false starts the server").isFalse();
    }

    private ServerCoreOptions core(String... args) {
        return parse(args).serverOptions().core();
    }

    private TensorflowOptions tensorflow(String... args) {
        return core(args).tensorflow();
    }

    private List<Integer> parallelism(String... args) {
        TensorflowOptions options = tensorflow(args);
        return List.of(options.intraOpParallelism(), options.interOpParallelism());
    }

    private static ServerCommand parse(String... args) {
        ServerCommand command = new ServerCommand();
        ServerCommand.commandLine(command).parseArgs(args);
        return command;
    }
}
