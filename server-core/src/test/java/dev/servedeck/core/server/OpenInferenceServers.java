package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.tensorflow.Tf2Models;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.oipclient.GRPCInferenceServiceGrpc;
import dev.servedeck.oipclient.InferTensorContents;
import dev.servedeck.oipclient.ModelInferRequest;
import dev.servedeck.oipclient.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Two real servers for the Open Inference Protocol tests, on TF Serving's half_plus_two (TF1 as {@code hp2}, two
 * versions as {@code two}, TF2 as {@code tf2}), REST and gRPC on 127.0.0.1: {@link #plain} as it starts by default,
 * {@link #guarded} with batching, Prometheus metrics and bearer tokens. Plus plain-HTTP and client-stub helpers.
 */
final class OpenInferenceServers {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String PREDICTOR = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String SCRAPER = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
    static final String METRICS = "/monitoring/prometheus/metrics";

    static ModelServer plain;
    static ModelServer guarded;
    static ManagedChannel channel;
    static ManagedChannel guardedChannel;
    private static Path tokens;
    private static Path models;

    private OpenInferenceServers() {
    }

    static void start() throws IOException {
        models = Files.createTempDirectory("servedeck-v2-models");
        // FP32, INT64 and BYTES inputs; FP32, INT64, INT32 and BYTES outputs.
        Tf2Models.writeMultiIo(models.resolve("multi"), 1);
        String config = """
                model_config_list {
                  config { name: "hp2" base_path: "%s" }
                  config { name: "two" base_path: "%s" model_version_policy { all {} } }
                  config { name: "tf2" base_path: "%s" }
                  config { name: "multi" base_path: "%s" }
                }
                """.formatted(TfServingTestData.model("saved_model_half_plus_two_cpu"),
                TfServingTestData.model("saved_model_half_plus_two_2_versions"),
                TfServingTestData.model("saved_model_half_plus_two_tf2_cpu"), models.resolve("multi"));
        plain = ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                        Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(4)), Optional.empty(),
                        Duration.ZERO),
                ModelServerConfigFile.parse(config, "test config"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", plain.grpcPort().orElseThrow()).usePlaintext().build();

        tokens = Files.createTempFile("servedeck-v2-tokens", ".txt");
        Files.writeString(tokens, PREDICTOR + " predict\n" + SCRAPER + " metrics\n");
        ServerCoreOptions batching = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                .withBatching(BatchingConfig.enabled(BatchingParametersFile.parse("""
                        max_batch_size { value: 8 }
                        batch_timeout_micros { value: 20000 }
                        max_enqueued_batches { value: 100 }
                        num_batch_threads { value: 2 }
                        """, "test")));
        guarded = ModelServer.start(new ModelServerOptions(batching,
                        Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(4)), Optional.empty(),
                        Duration.ZERO, MonitoringOptions.defaults().withPrometheusPath(METRICS), Optional.empty(),
                        AuthOptions.none().withTokensFile(tokens)),
                ModelServerConfigFile.parse(config, "test config"));
        guardedChannel = NettyChannelBuilder.forAddress("127.0.0.1", guarded.grpcPort().orElseThrow())
                .usePlaintext().build();
    }

    static void stop() throws Exception {
        for (ManagedChannel open : new ManagedChannel[] {channel, guardedChannel}) {
            if (open != null) {
                open.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (plain != null) {
            plain.close();
        }
        if (guarded != null) {
            guarded.close();
        }
        if (tokens != null) {
            Files.deleteIfExists(tokens);
        }
        if (models != null) {
            try (var files = Files.walk(models)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    record Reply(int status, JsonNode body) {
    }

    static double requestCount() throws Exception {
        Reply scrape = send(guarded, HttpRequest.newBuilder(uri(guarded, METRICS))
                .header("Authorization", "Bearer " + SCRAPER).GET());
        double sum = 0;
        for (String line : scrape.body().asText().split("\n")) {
            if (line.startsWith(":tensorflow:serving:request_latency_count{") && line.contains("model_name=\"tf2\"")
                    && line.contains("API=\"Predict\"") && line.contains("entrypoint=\"GRPC\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static ModelInferRequest oneFloat(String model, float value) {
        return ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(value)))
                .build();
    }

    static String oneInput(String datatype, String data) {
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"" + datatype + "\", \"data\": "
                + data + "}]}";
    }

    static void assertError(Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.body().get("error").asText()).contains(message);
        assertThat(reply.body().size()).isEqualTo(1);
    }

    static void assertCode(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(String.valueOf(e.getStatus().getDescription())).contains(message);
        });
    }

    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(ManagedChannel on) {
        return GRPCInferenceServiceGrpc.newBlockingStub(on).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    /** The first output's typed FP32 contents, of an answer that must have no raw contents. */
    static float[] typedFloats(ModelInferResponse response) {
        assertThat(response.getRawOutputContentsCount()).as("raw output contents").isZero();
        List<Float> values = response.getOutputs(0).getContents().getFp32ContentsList();
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = values.get(i);
        }
        return floats;
    }

    static long[] longsOf(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[buffer.remaining() / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getLong();
        }
        return values;
    }

    static int[] intsOf(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int[] values = new int[buffer.remaining() / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getInt();
        }
        return values;
    }

    static float[] floatsOf(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static URI uri(ModelServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.restPort().orElseThrow() + path);
    }

    static Reply get(ModelServer server, String path) throws Exception {
        return send(server, HttpRequest.newBuilder(uri(server, path)).GET());
    }

    static Reply post(ModelServer server, String path, String body) throws Exception {
        return send(server, HttpRequest.newBuilder(uri(server, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static Reply send(ModelServer server, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = JSON.getNodeFactory().textNode(response.body());
        }
        return new Reply(response.statusCode(), body);
    }
}
