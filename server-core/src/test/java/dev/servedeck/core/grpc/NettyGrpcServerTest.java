package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.floatVal;
import static dev.servedeck.core.grpc.GrpcTestRequests.floats;
import static dev.servedeck.core.grpc.GrpcTestRequests.predict;
import static dev.servedeck.core.grpc.GrpcTestRequests.spec;
import static dev.servedeck.core.grpc.TfServingGrpcApiTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.testing.RawGrpc;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * The whole server (ModelServer with its gRPC front end) over real Netty on 127.0.0.1: TF Serving's wire
 * format written by hand, health, reflection, message size limits.
 */
class NettyGrpcServerTest {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final String PREDICT = PredictionServiceGrpc.getPredictMethod().getFullMethodName();

    private static ModelServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        GrpcOptions grpc = GrpcOptions.defaults().withMaxThreads(4).withMaxMessageBytes(MAX_MESSAGE_BYTES);
        server = ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults()
                        .withFileSystemPollWait(Duration.ZERO), Optional.empty(), Optional.of(grpc), Optional.empty(),
                        Duration.ZERO),
                ModelServerConfigFile.parse(GrpcTestRequests.config(TfServingTestData.root()), "test config"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listensOnAnEphemeralLoopbackPort() {
        assertThat(server.grpcPort()).hasValueSatisfying(port -> assertThat(port).isPositive());
        assertThat(server.restPort()).isEmpty();
    }

    @Test
    void decodesAPredictRequestWrittenFromTfServingsFieldNumbers() throws Exception {
        // tensorflow.serving.PredictRequest, field by field as predict.proto, model.proto, tensor.proto and
        // tensor_shape.proto number them; written without any generated class.
        HandWrittenProto tensor = HandWrittenProto.message()
                .varint(1, 1)                                                       // dtype: DT_FLOAT
                .message(2, HandWrittenProto.message()                              // tensor_shape
                        .message(2, HandWrittenProto.message().varint(1, 3)))       //   dim { size: 3 }
                .packedFloats(5, 2f, 3f, 4f);                                       // float_val
        byte[] request = HandWrittenProto.message()
                .message(1, HandWrittenProto.message()                              // model_spec
                        .string(1, "default")                                       //   name
                        .message(2, HandWrittenProto.message().varint(1, 123))      //   version { value: 123 }
                        .string(3, "serving_default"))                              //   signature_name
                .message(2, HandWrittenProto.message()                              // inputs map entry
                        .string(1, "x")                                             //   key
                        .message(2, tensor))                                        //   value
                .string(3, "y")                                                     // output_filter
                .toByteArray();

        RawGrpc.Outcome answer = RawGrpc.call(channel, PREDICT, request, 30);

        assertThat(answer.code()).isEqualTo(Status.Code.OK);
        PredictResponse response = PredictResponse.parseFrom(answer.response());
        assertThat(floats(response.getOutputsOrThrow("y"))).containsExactly(3f, 3.5f, 4f);
        assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(123);
    }

    @Test
    void predictOverNettyWithTensorContent() {
        PredictResponse response = PredictionServiceGrpc.newBlockingStub(channel)
                .predict(predict(spec("default"), GrpcTestRequests.floatContent(1f, 2f)));
        assertThat(floats(response.getOutputsOrThrow("y"))).containsExactly(2.5f, 3f);
    }

    @Test
    void healthReportsTheServerAndEachModel() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        // The whole server is not ready while a configured model ("bad") has no AVAILABLE version, as /v1/health.
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
                .isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("default").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("bad").build()).getStatus())
                .isEqualTo(ServingStatus.NOT_SERVING);
        assertCode(() -> health.check(HealthCheckRequest.newBuilder().setService("nope").build()),
                Status.Code.NOT_FOUND, "");
    }

    @Test
    void reflectionListsTfServingsServices() throws Exception {
        assertThat(ReflectedServices.of(channel)).contains("tensorflow.serving.PredictionService",
                "tensorflow.serving.ModelService", "grpc.health.v1.Health");
    }

    @Test
    void bytesThatAreNotTheRequestMessageAnswerInvalidArgumentAndTheCallsAfterThemServe() {
        byte[] valid = predict(spec("default"), floatVal(1f)).toByteArray();
        byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
        for (byte[] bad : List.of(truncated, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF})) {
            RawGrpc.Outcome refused = RawGrpc.call(channel, PREDICT, bad, 10);
            // grpc-java alone answers UNKNOWN "Application error processing RPC" and logs a stack trace.
            assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.status().getDescription()).startsWith("Invalid protobuf byte sequence: ");
        }
        assertThat(PredictionServiceGrpc.newBlockingStub(channel).predict(predict(spec("default"), floatVal(2f)))
                .getOutputsOrThrow("y").getTensorContent()).isNotEmpty();
    }

    @Test
    void messagesAboveTheLimitAreRefused() {
        TensorProto big = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(GrpcTestRequests.shape(MAX_MESSAGE_BYTES / 4 + 1))
                .setTensorContent(ByteString.copyFrom(new byte[MAX_MESSAGE_BYTES + 4])).build();
        assertCode(() -> PredictionServiceGrpc.newBlockingStub(channel).predict(predict(spec("default"), big)),
                Status.Code.RESOURCE_EXHAUSTED, "");
        // The connection survives: the next call works.
        assertThat(PredictionServiceGrpc.newBlockingStub(channel).predict(predict(spec("default"), floatVal(2f)))
                .getOutputsMap()).containsKey("y");
    }

}
