package dev.servedeck.core.server;

import static dev.servedeck.core.server.OpenInferenceServers.PREDICTOR;
import static dev.servedeck.core.server.OpenInferenceServers.SCRAPER;
import static dev.servedeck.core.server.OpenInferenceServers.assertCode;
import static dev.servedeck.core.server.OpenInferenceServers.channel;
import static dev.servedeck.core.server.OpenInferenceServers.floats;
import static dev.servedeck.core.server.OpenInferenceServers.floatsOf;
import static dev.servedeck.core.server.OpenInferenceServers.guardedChannel;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.tensorflow.EchoModels;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferParameter;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ServerLiveRequest;
import inference.GrpcPredictV2.ServerMetadataRequest;
import inference.GrpcPredictV2.ServerMetadataResponse;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ServeDeck called through stubs generated from KServe's public {@code grpc_predict_v2.proto}, as Apache Camel's
 * KServe component ships them (classes {@code inference.*}, protobuf 3 gencode), not from our proto: a field
 * renumbered or renamed in ours, a message or method misnamed, would show here. Against the real servers of
 * {@link OpenInferenceServers} on 127.0.0.1 with real SavedModels. The public file has no repository or statistics
 * extension; those are called with stubs from our proto (V2RepositoryApiTest, V2StatisticsApiTest).
 */
class PublicProtoClientTest {

    /** TensorFlow's identity per datatype ({@link EchoModels}: one signature per dtype, input x, output y). */
    private static ModelServer echo;
    private static ManagedChannel echoChannel;
    private static Path echoModels;

    @BeforeAll
    static void start() throws IOException {
        OpenInferenceServers.start();
        echoModels = Files.createTempDirectory("servedeck-public-proto-echo");
        EchoModels.write(echoModels.resolve("echo"), 1);
        echo = ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO), Optional.empty(),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(2)), Optional.empty(),
                        Duration.ZERO),
                ModelServerConfigFile.parse("model_config_list { config { name: \"echo\" base_path: \"%s\" } }"
                        .formatted(echoModels.resolve("echo")), "test config"));
        echoChannel = NettyChannelBuilder.forAddress("127.0.0.1", echo.grpcPort().orElseThrow()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (echoChannel != null) {
            echoChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (echo != null) {
            echo.close();
        }
        if (echoModels != null) {
            try (Stream<Path> files = Files.walk(echoModels)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        OpenInferenceServers.stop();
    }

    /**
     * Every datatype TensorFlow Java serves, in the typed field the datatype table names and back out of the same
     * field through the model's identity; FP16 and BF16, which have none, raw both ways.
     */
    @Test
    void everyServedDatatypeTravelsInItsTypedField() {
        assertThat(echoTyped("bool", "BOOL", InferTensorContents.newBuilder().addBoolContents(true)
                .addBoolContents(false).addBoolContents(true))).isEqualTo(InferTensorContents.newBuilder()
                .addBoolContents(true).addBoolContents(false).addBoolContents(true).build());
        assertThat(echoTyped("uint8", "UINT8", InferTensorContents.newBuilder().addUintContents(0).addUintContents(7)
                .addUintContents(255)).getUintContentsList()).containsExactly(0, 7, 255);
        assertThat(echoTyped("uint16", "UINT16", InferTensorContents.newBuilder().addUintContents(0)
                .addUintContents(300).addUintContents(65535)).getUintContentsList()).containsExactly(0, 300, 65535);
        assertThat(echoTyped("int32", "INT32", InferTensorContents.newBuilder().addIntContents(Integer.MIN_VALUE)
                .addIntContents(-1).addIntContents(Integer.MAX_VALUE)).getIntContentsList())
                .containsExactly(Integer.MIN_VALUE, -1, Integer.MAX_VALUE);
        assertThat(echoTyped("int64", "INT64", InferTensorContents.newBuilder().addInt64Contents(Long.MIN_VALUE)
                .addInt64Contents(0).addInt64Contents(Long.MAX_VALUE)).getInt64ContentsList())
                .containsExactly(Long.MIN_VALUE, 0L, Long.MAX_VALUE);
        assertThat(echoTyped("float", "FP32", InferTensorContents.newBuilder().addFp32Contents(-1.5f)
                .addFp32Contents(0f).addFp32Contents(3.25f)).getFp32ContentsList()).containsExactly(-1.5f, 0f, 3.25f);
        assertThat(echoTyped("double", "FP64", InferTensorContents.newBuilder().addFp64Contents(-1e300)
                .addFp64Contents(0.1).addFp64Contents(2.5)).getFp64ContentsList()).containsExactly(-1e300, 0.1, 2.5);
        assertThat(echoTyped("string", "BYTES", InferTensorContents.newBuilder()
                .addBytesContents(ByteString.copyFromUtf8("a")).addBytesContents(ByteString.EMPTY)
                .addBytesContents(ByteString.copyFrom(new byte[] {0, (byte) 0xff}))).getBytesContentsList())
                .containsExactly(ByteString.copyFromUtf8("a"), ByteString.EMPTY,
                        ByteString.copyFrom(new byte[] {0, (byte) 0xff}));
        for (String[] half : new String[][] {{"half", "FP16"}, {"bfloat16", "BF16"}}) {
            ByteString raw = ByteString.copyFrom(new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0, 0x00, 0x00});
            ModelInferResponse response = stub(echoChannel).modelInfer(ModelInferRequest.newBuilder()
                    .setModelName("echo")
                    .putParameters("signature_name", InferParameter.newBuilder().setStringParam(half[0]).build())
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype(half[1])
                            .addShape(3))
                    .addRawInputContents(raw)
                    .build());
            assertThat(response.getOutputs(0).getDatatype()).isEqualTo(half[1]);
            assertThat(response.getRawOutputContents(0)).as(half[1]).isEqualTo(raw);
        }
    }

    private static InferTensorContents echoTyped(String signature, String datatype,
            InferTensorContents.Builder values) {
        ModelInferResponse response = stub(echoChannel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("echo")
                .putParameters("signature_name", InferParameter.newBuilder().setStringParam(signature).build())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype(datatype)
                        .addShape(3).setContents(values))
                .build());
        assertThat(response.getRawOutputContentsCount()).as(datatype).isZero();
        assertThat(response.getOutputs(0).getDatatype()).isEqualTo(datatype);
        assertThat(response.getOutputs(0).getShapeList()).containsExactly(3L);
        return response.getOutputs(0).getContents();
    }

    @Test
    void theStubsAreThePublicFilesNotOurs() {
        assertThat(GRPCInferenceServiceGrpc.SERVICE_NAME).isEqualTo("inference.GRPCInferenceService");
        assertThat(ModelInferRequest.getDescriptor().getFile().getName()).isEqualTo("grpc_predict_v2.proto");
        assertThat(GRPCInferenceServiceGrpc.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .contains("camel-kserve");
    }

    @Test
    void probesAndMetadata() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = stub(channel);
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("two").setVersion("123").build()).getReady())
                .isTrue();
        ServerMetadataResponse server = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertThat(server.getName()).isEqualTo("servedeck");
        assertThat(server.getExtensionsList()).contains("binary_tensor_data", "model_repository", "statistics");
        ModelMetadataResponse model = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("two").build());
        assertThat(model.getName()).isEqualTo("two");
        assertThat(model.getVersionsList()).containsExactly("123", "124");
        assertThat(model.getPlatform()).isEqualTo("tensorflow_savedmodel");
        assertThat(model.getInputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
                .containsExactly("x");
        assertThat(model.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(model.getInputs(0).getShapeList()).containsExactly(-1L, 1L);
        assertThat(model.getOutputs(0).getName()).isEqualTo("y");
        ModelMetadataResponse older = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("two")
                .setVersion("123").build());
        assertThat(older.getInputs(0).getName()).isEqualTo("x");
        assertCode(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()),
                Status.Code.NOT_FOUND, "nope");
    }

    @Test
    void typedContentsAreAnsweredTyped() {
        ModelInferResponse response = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("hp2").setId("public-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(3).addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1.0f).addFp32Contents(2.0f)
                                .addFp32Contents(5.0f)))
                .build());
        assertThat(response.getModelName()).isEqualTo("hp2");
        assertThat(response.getModelVersion()).isEqualTo("123");
        assertThat(response.getId()).isEqualTo("public-1");
        assertThat(response.getRawOutputContentsCount()).isZero();
        ModelInferResponse.InferOutputTensor y = response.getOutputs(0);
        assertThat(y.getName()).isEqualTo("y");
        assertThat(y.getDatatype()).isEqualTo("FP32");
        assertThat(y.getShapeList()).containsExactly(3L, 1L);
        assertThat(y.getContents().getFp32ContentsList()).containsExactly(2.5f, 3.0f, 4.5f);
    }

    @Test
    void integerAndBytesTensorsTyped() {
        ModelInferResponse response = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("multi")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("features").setDatatype("FP32")
                        .addShape(2).addShape(3)
                        .setContents(InferTensorContents.newBuilder()
                                .addAllFp32Contents(List.of(1f, 1f, 1f, 0f, 0f, 1f))))
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("ids").setDatatype("INT64")
                        .addShape(2).setContents(InferTensorContents.newBuilder().addInt64Contents(-5)
                                .addInt64Contents(41)))
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("text").setDatatype("BYTES")
                        .addShape(2).setContents(InferTensorContents.newBuilder()
                                .addBytesContents(ByteString.copyFromUtf8("kserve"))
                                .addBytesContents(ByteString.copyFromUtf8("v2"))))
                .build());
        assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
                .containsExactly("next_ids", "shout", "text_length", "weighted");
        assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getDatatype)
                .containsExactly("INT64", "BYTES", "INT32", "FP32");
        assertThat(response.getOutputs(0).getContents().getInt64ContentsList()).containsExactly(-4L, 42L);
        assertThat(response.getOutputs(1).getContents().getBytesContentsList())
                .containsExactly(ByteString.copyFromUtf8("KSERVE"), ByteString.copyFromUtf8("V2"));
        assertThat(response.getOutputs(2).getContents().getIntContentsList()).containsExactly(6, 2);
        assertThat(response.getOutputs(3).getContents().getFp32ContentsList()).containsExactly(111f, 100f);
    }

    @Test
    void rawContentsAreAnsweredRawOnTheVersionAskedFor() {
        ModelInferResponse response = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("two").setModelVersion("123")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(3).addShape(1))
                .addRawInputContents(ByteString.copyFrom(floats(0.0f, 2.0f, 4.0f)))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y"))
                .build());
        assertThat(response.getModelVersion()).isEqualTo("123");
        assertThat(response.getOutputs(0).hasContents()).isFalse();
        assertThat(floatsOf(response.getRawOutputContents(0))).containsExactly(2.0f, 3.0f, 4.0f);

        ModelInferResponse latest = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("two")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(1))
                .addRawInputContents(ByteString.copyFrom(floats(2.0f)))
                .build());
        assertThat(latest.getModelVersion()).isEqualTo("124");
        assertThat(latest.getRawOutputContentsCount()).isEqualTo(1);
    }

    @Test
    void aSignatureIsPickedWithARequestParameter() {
        ModelInferResponse response = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("hp2")
                .putParameters("signature_name", InferParameter.newBuilder().setStringParam("regress_x2_to_y3").build())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("inputs").setDatatype("FP32")
                        .addShape(1).addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(2.0f)))
                .build());
        assertThat(response.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(4.0f);
    }

    @Test
    void errorsCarryTheProtocolsStatusCodes() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = stub(channel);
        assertCode(() -> stub.modelInfer(oneFloat("nope", 1.0f)), Status.Code.NOT_FOUND, "nope");
        assertCode(() -> stub.modelInfer(oneFloat("two", 1.0f).toBuilder().setModelVersion("999").build()),
                Status.Code.NOT_FOUND, "999");
        assertCode(() -> stub.modelInfer(oneFloat("two", 1.0f).toBuilder().setModelVersion("latest").build()),
                Status.Code.INVALID_ARGUMENT, "not a version number");
        // Two values declared, one sent.
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("hp2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(2).addShape(1).setContents(InferTensorContents.newBuilder().addFp32Contents(1.0f)))
                .build()), Status.Code.INVALID_ARGUMENT, "");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("hp2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP64")
                        .addShape(1).addShape(1).setContents(InferTensorContents.newBuilder().addFp64Contents(1.0)))
                .build()), Status.Code.INVALID_ARGUMENT, "signature declares FP32");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("hp2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2))
                .addRawInputContents(ByteString.copyFrom(new byte[4]))
                .build()), Status.Code.INVALID_ARGUMENT, "4 bytes of raw contents");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("hp2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("nope").setDatatype("FP32")
                        .addShape(1).setContents(InferTensorContents.newBuilder().addFp32Contents(1.0f)))
                .build()), Status.Code.INVALID_ARGUMENT, "not an input of the signature");
    }

    @Test
    void tokensGuardEverythingButTheProbes() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub anonymous = stub(guardedChannel);
        assertThat(anonymous.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(anonymous.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(anonymous.modelReady(ModelReadyRequest.newBuilder().setName("hp2").build()).getReady()).isTrue();
        assertCode(() -> anonymous.modelInfer(oneFloat("hp2", 1.0f)), Status.Code.UNAUTHENTICATED, "");
        assertCode(() -> anonymous.modelMetadata(ModelMetadataRequest.newBuilder().setName("hp2").build()),
                Status.Code.UNAUTHENTICATED, "");
        assertCode(() -> anonymous.serverMetadata(ServerMetadataRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "");
        assertCode(() -> anonymous.withInterceptors(bearer(SCRAPER)).modelInfer(oneFloat("hp2", 1.0f)),
                Status.Code.PERMISSION_DENIED, "");
        ModelInferResponse answer = anonymous.withInterceptors(bearer(PREDICTOR)).modelInfer(oneFloat("hp2", 1.0f));
        assertThat(answer.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(2.5f);
    }

    /** On the batching server: concurrent calls share batches and each hears its own rows. */
    @Test
    void concurrentCallsOnABatchingServer() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub futures = GRPCInferenceServiceGrpc
                .newFutureStub(guardedChannel).withInterceptors(bearer(PREDICTOR))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(futures.modelInfer(oneFloat("hp2", i)));
        }
        for (int i = 0; i < 16; i++) {
            assertThat(calls.get(i).get(30, TimeUnit.SECONDS).getOutputs(0).getContents().getFp32ContentsList())
                    .containsExactly(0.5f * i + 2.0f);
        }
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(ManagedChannel on) {
        return GRPCInferenceServiceGrpc.newBlockingStub(on).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ModelInferRequest oneFloat(String model, float value) {
        return ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(value)))
                .build();
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
