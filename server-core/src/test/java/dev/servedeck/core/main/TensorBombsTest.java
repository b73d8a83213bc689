package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.RawGrpc;
import dev.servedeck.core.testing.ServerProcess;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.ExampleListWithContext;
import dev.servedeck.proto.apis.Input;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Small requests that ask for a lot of memory, sent to the server in a JVM of its own with a 192 MiB heap that
 * exits on OutOfMemoryError (as the container runs it): each is refused with INVALID_ARGUMENT / 400 naming the
 * tensor and its size, and the server keeps serving. Before --max_tensor_bytes, the first one made it allocate
 * 2 GB and exit (issue 16).
 */
class TensorBombsTest {

    private static final String MODEL = "half_plus_two";
    /** Issue 16's PredictRequest, byte for byte, written out field by field. */
    private static final byte[] HUGE_BROADCAST = HexFormat.of().parseHex(
            "0a0f0a0d" + HexFormat.of().formatHex(MODEL.getBytes())           // model_spec { name: "half_plus_two" }
                    + "1217" + "0a0178"                                       // inputs { key: "x"
                    + "1212" + "0801"                                         //   value { dtype: DT_FLOAT
                    + "1208" + "1206" + "0880cab5ee01"                        //   tensor_shape { dim { size: 500000000 } }
                    + "2a04" + "0000803f");                                   //   float_val: 1.0 } }
    private static final String PREDICT = PredictionServiceGrpc.getPredictMethod().getFullMethodName();
    private static final String CLASSIFY = PredictionServiceGrpc.getClassifyMethod().getFullMethodName();

    @TempDir
    static Path temp;

    private static ServerProcess server;
    private static ManagedChannel channel;
    private static HttpJsonClient rest;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(temp.resolve("models.config"), "model_config_list { config { name: \"" + MODEL + "\" "
                + "base_path: \"" + TfServingTestData.model("saved_model_half_plus_two_cpu") + "\" } }");
        server = ServerProcess.start(temp.resolve("server.log"), List.of("-Xmx192m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--model_config_file=" + config), "/v1/models/" + MODEL);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        rest = new HttpJsonClient(server.restPort());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            String log = server.log();
            assertThat(server.stop()).as(log).isZero();
        }
    }

    @Test
    void theFortyTwoBytePredictDeclaringTwoGigabytesIsRefusedAndTheServerServesOn() {
        assertThat(HUGE_BROADCAST).hasSize(42);
        RawGrpc.Outcome outcome = RawGrpc.call(channel, PREDICT, HUGE_BROADCAST, 30);

        assertThat(outcome.code()).as(outcome.status().toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outcome.status().getDescription()).isEqualTo("Input tensor 'x' (float [500000000]) declares "
                + "2000000000 bytes, more than the 268435456 a tensor may take (--max_tensor_bytes)");
        assertStillServing();
    }

    @Test
    void aLargeContextTimesManyExamplesIsRefusedOverGrpcAndRest() {
        // 1 MiB of context for each of 300 examples: 300 MiB, though the request is 1 MiB.
        byte[] blob = new byte[1 << 20];
        Example context = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("blob", Feature.newBuilder()
                .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(blob))).build())).build();
        Example example = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x", Feature.newBuilder()
                .setFloatList(FloatList.newBuilder().addValue(2f)).build())).build();
        ClassificationRequest bomb = ClassificationRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(MODEL).setSignatureName("classify_x_to_y"))
                .setInput(Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder()
                        .setContext(context).addAllExamples(Collections.nCopies(300, example))))
                .build();
        RawGrpc.Outcome overGrpc = RawGrpc.call(channel, CLASSIFY, bomb.toByteArray(), 30);
        assertThat(overGrpc.code()).as(overGrpc.status().toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(overGrpc.status().getDescription()).startsWith("Input tensor 'inputs' of 300 serialized tf.Examples "
                + "(each with the " + context.getSerializedSize() + "-byte context in front) declares ")
                .endsWith("bytes, more than the 268435456 a tensor may take (--max_tensor_bytes)");

        String json = "{\"signature_name\": \"classify_x_to_y\", \"context\": {\"blob\": {\"b64\": \""
                + Base64.getEncoder().encodeToString(blob) + "\"}}, \"examples\": ["
                + String.join(", ", Collections.nCopies(300, "{\"x\": 2.0}")) + "]}";
        HttpJsonClient.Reply overRest = rest.post("/v1/models/" + MODEL + ":classify", json);
        assertThat(overRest.status()).isEqualTo(400);
        assertThat(overRest.error()).startsWith("Input tensor 'inputs' of 300 serialized tf.Examples");

        ClassificationRequest fits = bomb.toBuilder().setInput(Input.newBuilder().setExampleListWithContext(
                ExampleListWithContext.newBuilder().setContext(context).addAllExamples(Collections.nCopies(3, example))))
                .build();
        RawGrpc.Outcome small = RawGrpc.call(channel, CLASSIFY, fits.toByteArray(), 30);
        assertThat(small.code()).as(small.status().toString()).isEqualTo(Status.Code.OK);
        assertStillServing();
    }

    @Test
    void stringsBroadcastToAHugeShapeCountTheirPerElementHeaders() {
        TensorProto strings = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(
                TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(100_000_000)))
                .addStringVal(ByteString.EMPTY).build();
        PredictRequest request = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(MODEL))
                .putInputs("x", strings).build();
        RawGrpc.Outcome outcome = RawGrpc.call(channel, PREDICT, request.toByteArray(), 30);
        assertThat(outcome.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outcome.status().getDescription()).contains("'x' (string [100000000]) declares 2400000000 bytes");
        assertStillServing();
    }

    private static void assertStillServing() {
        assertThat(server.isAlive()).as(server.log()).isTrue();
        HttpJsonClient.Reply reply = rest.post("/v1/models/" + MODEL + ":predict", "{\"instances\": [1.0, 2.0]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"predictions\": [2.5, 3.0]}"));
    }
}
