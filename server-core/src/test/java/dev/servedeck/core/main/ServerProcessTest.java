package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.PlatformConfigs;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.core.testing.WarmupFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The headless server as an operator runs it: a separate JVM started with tensorflow_model_server flags,
 * stopped with SIGTERM.
 */
class ServerProcessTest {

    @TempDir
    Path temp;

    @Test
    void demoServerAnswersAndStopsGracefullyOnSigterm() throws Exception {
        int port = freePort();
        int grpcPort = freePort();
        Process server = launch("--demo", "--demo_models_dir=" + temp.resolve("demo"), "--rest_api_port=" + port,
                "--port=" + grpcPort, "--grpc_channel_arguments=grpc.max_concurrent_streams=100,grpc.census=0");
        try {
            HttpJsonClient client = new HttpJsonClient(port);
            awaitReady(server, client, "/v1/models/half_plus_two");
            assertThat(grpcPredict(grpcPort, 1f, 4f)).containsExactly(2.5f, 4f);
            assertThat(client.post("/v1/models/half_plus_two:predict", "{\"instances\": [[1.0], [4.0]]}").body())
                    .isEqualTo(HttpJsonClient.parse("{\"predictions\": [[2.5], [4.0]]}"));
            HttpJsonClient.Reply mlp = client.post("/v1/models/mlp:predict",
                    "{\"instances\": [[" + "0.5,".repeat(783) + "0.5]]}");
            assertThat(mlp.status()).as(mlp.body().toString()).isEqualTo(200);
            assertThat(mlp.body().path("predictions").get(0).path("probabilities")).hasSize(10);
        } finally {
            server.destroy(); // SIGTERM
        }
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(temp.resolve("server.log"));
        assertThat(server.exitValue()).as(log).isZero();
        assertThat(log).contains("Server stopped").contains("Running gRPC ModelServer at 127.0.0.1:" + grpcPort)
                .contains("grpc.census=0 has no grpc-java server equivalent")
                // ServerMain switched JavaCPP's per-allocation memory check off before TensorFlow loaded.
                .doesNotContain("JavaCPP checks physical memory");
    }

    /** half_plus_two over gRPC, as a TF Serving client calls it. */
    private static float[] grpcPredict(int port, float... xs) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            TensorProto.Builder x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(
                    TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(xs.length))
                            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)));
            for (float value : xs) {
                x.addFloatVal(value);
            }
            PredictResponse response = PredictionServiceGrpc.newBlockingStub(channel)
                    // The test waits for REST; gRPC may start listening a moment later.
                    .withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(PredictRequest.newBuilder()
                            .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two"))
                            .putInputs("x", x.build()).build());
            ByteBuffer y = response.getOutputsOrThrow("y").getTensorContent().asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[y.remaining() / Float.BYTES];
            y.asFloatBuffer().get(values);
            return values;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A tensorflow_model_server start script, unchanged: every flag of its main.cc with a typical value, in its
     * {@code --flag=value} form, booleans as true/false. The server starts, answers REST and gRPC, names the flags
     * it ignores, and stops with 0.
     */
    @Test
    void everyTensorflowModelServerFlagStartsTheServerUnchanged() throws Exception {
        int port = freePort();
        int grpcPort = freePort();
        Path model = TfServingTestData.model("saved_model_half_plus_two_cpu");
        Path modelConfig = Files.writeString(temp.resolve("models.config"),
                "model_config_list { config { name: \"half_plus_two\" base_path: \"" + model
                        + "\" model_platform: \"tensorflow\" } }");
        Path batching = Files.writeString(temp.resolve("batching.config"),
                "max_batch_size { value: 8 } batch_timeout_micros { value: 1000 } num_batch_threads { value: 2 }");
        Path session = Files.writeString(temp.resolve("session.config"), "allow_soft_placement: true");
        Path platform = Files.writeString(temp.resolve("platform.config"), PlatformConfigs.tensorflow(
                "session_config { intra_op_parallelism_threads: 1 }\n"
                        + "batching_parameters { max_batch_size { value: 8 } batch_timeout_micros { value: 1000 } }\n"
                        + "enable_model_warmup: true"));
        Path monitoring = Files.writeString(temp.resolve("monitoring.config"), "prometheus_config { enable: true }");
        Process server = launch(
                "--port=" + grpcPort,
                "--grpc_socket_path=" + temp.resolve("grpc.sock"),
                "--rest_api_port=" + port,
                "--rest_api_num_threads=4",
                "--rest_api_timeout_in_ms=30000",
                "--rest_api_enable_cors_support=false",
                "--enable_batching=true",
                "--allow_version_labels_for_unavailable_models=false",
                "--batching_parameters_file=" + batching,
                "--enable_per_model_batching_parameters=false",
                "--model_config_file=" + modelConfig,
                "--model_config_file_poll_wait_seconds=60",
                "--model_name=default",
                "--model_base_path=" + model,
                "--num_load_threads=2",
                "--num_unload_threads=1",
                "--max_num_load_retries=5",
                "--load_retry_interval_micros=60000000",
                "--file_system_poll_wait_seconds=1",
                "--flush_filesystem_caches=true",
                "--tensorflow_session_parallelism=0",
                "--tensorflow_session_config_file=" + session,
                "--tensorflow_intra_op_parallelism=0",
                "--tensorflow_inter_op_parallelism=0",
                "--use_alts_credentials=false",
                "--ssl_config_file=",
                "--platform_config_file=" + platform,
                "--per_process_gpu_memory_fraction=0.5",
                "--saved_model_tags=serve",
                "--grpc_channel_arguments=grpc.max_concurrent_streams=100",
                "--grpc_max_threads=8",
                "--enable_model_warmup=true",
                "--num_request_iterations_for_warmup=1",
                "--version=false",
                "--monitoring_config_file=" + monitoring,
                "--remove_unused_fields_from_bundle_metagraph=true",
                "--prefer_tflite_model=false",
                "--use_tflite_model=false",
                "--num_tflite_pools=2",
                "--num_tflite_interpreters_per_pool=1",
                "--enable_signature_method_name_check=false",
                "--xla_cpu_compilation_enabled=false",
                "--xla_gpu_compilation_enabled=false",
                "--enable_profiler=true",
                "--thread_pool_factory_config_file=",
                "--mixed_precision=bfloat16",
                "--skip_initialize_tpu=true",
                "--enable_grpc_healthcheck_service=true",
                "--enable_serialization_as_tensor_content=false");
        try {
            HttpJsonClient client = new HttpJsonClient(port);
            awaitReady(server, client, "/v1/models/half_plus_two");
            assertThat(client.post("/v1/models/half_plus_two:predict", "{\"instances\": [[1.0], [4.0]]}").body())
                    .isEqualTo(HttpJsonClient.parse("{\"predictions\": [[2.5], [4.0]]}"));
            assertThat(grpcPredict(grpcPort, 1f, 4f)).containsExactly(2.5f, 4f);
        } finally {
            server.destroy(); // SIGTERM
        }
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(temp.resolve("server.log"));
        assertThat(server.exitValue()).as(log).isZero();
        assertThat(log).contains("--grpc_socket_path=" + temp.resolve("grpc.sock") + " is accepted")
                .contains("--xla_cpu_compilation_enabled=false is accepted")
                .contains("--mixed_precision=bfloat16 is accepted")
                .contains("--enable_serialization_as_tensor_content=false is accepted")
                .contains("--enable_batching is ignored: --platform_config_file decides")
                .doesNotContain("--enable_grpc_healthcheck_service=true is accepted")
                .doesNotContain("--thread_pool_factory_config_file= is accepted")
                .contains("Server stopped");
    }

    /**
     * SIGTERM while a model is still loading (here: replaying a warmup request two billion times) stops the
     * start, abandons the load cleanly and exits 0, without waiting for the load.
     */
    @Test
    void sigtermWhileAModelIsStillLoadingExitsZeroPromptly() throws Exception {
        Path base = temp.resolve("slow");
        Path version = WarmupFixtures.copyVersion(WarmupFixtures.HALF_PLUS_TWO, WarmupFixtures.VERSION, base);
        WarmupFixtures.writeWarmup(version, WarmupFixtures.predictHalfPlusTwo(1f));
        Process server = launch("--model_name=slow", "--model_base_path=" + base, "--rest_api_port=" + freePort(),
                "--port=0", "--num_request_iterations_for_warmup=2000000000");
        try {
            awaitLog(server, "Starting to read warmup data");
            long signalled = System.nanoTime();
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits instead of finishing the load").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(30));
        } finally {
            server.destroyForcibly();
        }
        String log = Files.readString(temp.resolve("server.log"));
        assertThat(server.exitValue()).as(log).isZero();
        assertThat(log).contains("Received SIGTERM").contains("abandoned").contains("Stopped before the server was up");
    }

    /**
     * A request log on a file system that is full for it, made real with the file size limit ({@code ulimit -f})
     * of the server's process: the OS refuses the writes (EFBIG, as it would ENOSPC), requests still answer 200,
     * the lost lines are counted in the metric that counts dropped ones, and the failure is logged once.
     */
    @Test
    void aRequestLogThatCannotGrowLosesLinesNeverRequests() throws Exception {
        // The natives must be unpacked before the size limit applies: they are larger than it.
        DemoModels.writeHalfPlusTwo(temp.resolve("natives-warm-up"), 1);
        int port = freePort();
        Path requestLog = temp.resolve("requests.jsonl");
        Path monitoring = Files.writeString(temp.resolve("monitoring.config"), "prometheus_config { enable: true }");
        Process server = launchWithFileSizeLimitKiB(64, "--model_name=half_plus_two",
                "--model_base_path=" + TfServingTestData.model("saved_model_half_plus_two_cpu"),
                "--rest_api_port=" + port, "--port=0", "--monitoring_config_file=" + monitoring,
                "--request_log_file=" + requestLog, "--request_log_sampling_rate=1", "--request_log_include_bodies=true");
        try {
            HttpJsonClient client = new HttpJsonClient(port);
            awaitReady(server, client, "/v1/models/half_plus_two");
            String instances = "{\"instances\": [" + "[1.0],".repeat(99) + "[1.0]]}";
            for (int i = 0; i < 150; i++) {
                assertThat(client.post("/v1/models/half_plus_two:predict", instances).status()).isEqualTo(200);
            }
            awaitTrue(() -> droppedRequestLogLines(port) > 0);
            assertThat(Files.size(requestLog)).isLessThanOrEqualTo(64 * 1024);
            assertThat(Files.readString(requestLog)).endsWith("\n");
        } finally {
            server.destroy();
        }
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(temp.resolve("server.log"));
        assertThat(server.exitValue()).as(log).isZero();
        assertThat(log.split("Cannot write the request log", -1)).as("logged once, not per line").hasSize(2);
    }

    private static long droppedRequestLogLines(int port) throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/monitoring/prometheus/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher dropped = Pattern.compile("(?m)^servedeck_request_log_dropped_total (\\S+)$").matcher(metrics.body());
        return dropped.find() ? (long) Double.parseDouble(dropped.group(1)) : 0;
    }

    private void awaitLog(Process server, String text) throws Exception {
        awaitTrue(() -> {
            if (!server.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(temp.resolve("server.log")));
            }
            return Files.readString(temp.resolve("server.log")).contains(text);
        });
    }

    private static void awaitTrue(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void badConfigFileExitsNonZeroWithAClearError() throws Exception {
        Path bad = TfServingTestData.root().resolve("bad_model_config.txt");
        Process server = launch("--model_config_file=" + bad, "--rest_api_port=" + freePort(), "--port=0");
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isNotZero();
        assertThat(Files.readString(temp.resolve("server.log"))).contains(bad.toString());
    }

    @Test
    void aKeyOfAnotherCertificateExitsNonZeroBeforeAnyModelLoads() throws Exception {
        TestPki.Issued ca = TestPki.ca("Process Test CA");
        Path config = Files.writeString(temp.resolve("ssl.config"), TestPki.sslConfig(
                TestPki.server(ca, 2).keyPem(), TestPki.server(ca, 3).certificatePem(), "", false));
        Process server = launch("--ssl_config_file=" + config, "--model_base_path=" + temp.resolve("no-such-model"),
                "--rest_api_port=" + freePort(), "--port=0");
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isNotZero();
        assertThat(Files.readString(temp.resolve("server.log")))
                .contains("Cannot start: server_key does not belong to server_cert")
                .doesNotContain("no-such-model");
    }

    @Test
    void unknownFlagExitsNonZero() throws Exception {
        Process server = launch("--no_such_flag=1");
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isNotZero();
        assertThat(Files.readString(temp.resolve("server.log"))).contains("no_such_flag");
    }

    @Test
    void missingModelPathExitsNonZero() throws Exception {
        Process server = launch("--rest_api_port=" + freePort(), "--port=0");
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isNotZero();
        assertThat(Files.readString(temp.resolve("server.log"))).contains("--model_base_path");
    }

    private Process launch(String... flags) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(javaCommand(flags))
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("server.log").toFile());
        builder.environment().remove("MODEL_NAME");
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        return builder.start();
    }

    /**
     * The server with every file it writes limited to {@code kib} KiB (the JVM ignores SIGXFSZ, so a write past
     * the limit fails with EFBIG). Its output goes through a pipe, which the limit does not apply to.
     */
    private Process launchWithFileSizeLimitKiB(int kib, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "bash"));
        command.addAll(javaCommand(flags));
        command.add(5, "-XX:-UsePerfData"); // right after java: its 32 KiB performance data file would hit the limit
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("MODEL_NAME");
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        Process process = builder.start();
        Path log = temp.resolve("server.log");
        Thread copier = new Thread(() -> {
            try (var out = Files.newOutputStream(log)) {
                process.getInputStream().transferTo(out);
            } catch (IOException e) {
                // the process is gone
            }
        }, "server-log-copier");
        copier.setDaemon(true);
        copier.start();
        return process;
    }

    private static List<String> javaCommand(String... flags) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=servedeck-server-logback.xml",
                ServerMain.class.getName()));
        command.addAll(List.of(flags));
        return command;
    }

    private void awaitReady(Process server, HttpJsonClient client, String statusPath) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(temp.resolve("server.log"),
                        StandardCharsets.UTF_8));
            }
            try {
                if (client.get(statusPath).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYetListening) {
                // the server loads its models before it listens
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not ready: " + Files.readString(temp.resolve("server.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
