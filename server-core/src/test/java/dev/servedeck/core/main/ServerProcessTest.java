package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import dev.servedeck.core.testing.TfServingTestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
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

    @Test
    void badConfigFileExitsNonZeroWithAClearError() throws Exception {
        Path bad = TfServingTestData.root().resolve("bad_model_config.txt");
        Process server = launch("--model_config_file=" + bad, "--rest_api_port=" + freePort(), "--port=0");
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isNotZero();
        assertThat(Files.readString(temp.resolve("server.log"))).contains(bad.toString());
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
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=servedeck-server-logback.xml",
                ServerMain.class.getName()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("server.log").toFile());
        builder.environment().remove("MODEL_NAME");
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        return builder.start();
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
