package dev.servedeck.core.server;

import static dev.servedeck.core.server.OpenInferenceServers.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.servedeck.oipclient.GRPCInferenceServiceGrpc;
import dev.servedeck.oipclient.InferParameter;
import dev.servedeck.oipclient.InferTensorContents;
import dev.servedeck.oipclient.ModelInferRequest;
import dev.servedeck.oipclient.ModelInferResponse;
import dev.servedeck.oipclient.ModelMetadataRequest;
import dev.servedeck.oipclient.ModelMetadataResponse;
import dev.servedeck.oipclient.ModelReadyRequest;
import dev.servedeck.oipclient.ServerLiveRequest;
import dev.servedeck.oipclient.ServerMetadataRequest;
import dev.servedeck.oipclient.ServerReadyRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol's gRPC API through the whole server, called with a client's stubs generated from a
 * client's copy of the protocol's proto (other Java classes than the server's): probes, metadata, inference with
 * typed and raw contents, versions, signatures, error codes, tokens, and calls on a batching server counted in the
 * same metrics as TF Serving's Predict.
 */
class V2GrpcApiTest {

    @BeforeAll
    static void start() throws IOException {
        OpenInferenceServers.start();
    }

    @AfterAll
    static void stop() throws Exception {
        OpenInferenceServers.stop();
    }

    // ---- gRPC, through a client's stubs ----

    @Test
    void grpcHealthAndMetadata() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = stub(channel);
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("two").setVersion("124").build()).getReady())
                .isTrue();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList())
                .containsExactly("binary_tensor_data", "model_repository", "statistics");
        ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("two").build());
        assertThat(metadata.getVersionsList()).containsExactly("123", "124");
        assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 1L);
        assertThatThrownBy(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void grpcInferWithTypedContents() {
        ModelInferResponse response = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("hp2").setId("abc")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(2).addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1.0f).addFp32Contents(3.0f)))
                .build());
        assertThat(response.getModelName()).isEqualTo("hp2");
        assertThat(response.getModelVersion()).isEqualTo("123");
        assertThat(response.getId()).isEqualTo("abc");
        assertThat(response.getOutputs(0).getName()).isEqualTo("y");
        assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 1L);
        // Typed contents in, typed contents out (as KServe's servers answer).
        assertThat(response.getRawOutputContentsCount()).isZero();
        assertThat(typedFloats(response)).containsExactly(2.5f, 3.5f);
    }

    @Test
    void grpcInferWithRawContentsOnAVersionAndASignature() {
        ModelInferResponse response = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("two").setModelVersion("123")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(3).addShape(1))
                .addRawInputContents(ByteString.copyFrom(floats(0.0f, 2.0f, 4.0f)))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y"))
                .build());
        assertThat(response.getModelVersion()).isEqualTo("123");
        assertThat(floatsOf(response.getRawOutputContents(0))).containsExactly(2.0f, 3.0f, 4.0f);

        ModelInferResponse other = stub(channel).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("hp2")
                .putParameters("signature_name", InferParameter.newBuilder().setStringParam("regress_x2_to_y3").build())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("inputs").setDatatype("FP32")
                        .addShape(1).addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(2.0f)))
                .build());
        assertThat(typedFloats(other)).containsExactly(4.0f);
    }

    @Test
    void grpcInferWithIntegerAndBytesTensors() {
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("multi")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("features").setDatatype("FP32")
                        .addShape(1).addShape(3)
                        .setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 1f, 1f))))
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("ids").setDatatype("INT64")
                        .addShape(1).setContents(InferTensorContents.newBuilder().addInt64Contents(-5)))
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("text").setDatatype("BYTES")
                        .addShape(1).setContents(InferTensorContents.newBuilder()
                                .addBytesContents(ByteString.copyFromUtf8("grpc"))))
                .build();
        ModelInferResponse response = stub(channel).modelInfer(request);
        assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
                .containsExactly("next_ids", "shout", "text_length", "weighted");
        assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getDatatype)
                .containsExactly("INT64", "BYTES", "INT32", "FP32");
        assertThat(response.getRawOutputContentsCount()).isZero();
        assertThat(response.getOutputs(0).getContents().getInt64ContentsList()).containsExactly(-4L);
        assertThat(response.getOutputs(1).getContents().getBytesContentsList())
                .containsExactly(ByteString.copyFromUtf8("GRPC"));
        assertThat(response.getOutputs(2).getContents().getIntContentsList()).containsExactly(4);
        assertThat(response.getOutputs(3).getContents().getFp32ContentsList()).containsExactly(111f);

        // The binary tensor extension's parameter asks for raw outputs whatever the inputs were.
        ModelInferResponse raw = stub(channel).modelInfer(request.toBuilder()
                .putParameters("binary_data_output", InferParameter.newBuilder().setBoolParam(true).build()).build());
        assertThat(raw.getOutputsList()).allMatch(output -> !output.hasContents());
        assertThat(longsOf(raw.getRawOutputContents(0))).containsExactly(-4L);
        assertThat(raw.getRawOutputContents(1).toByteArray()).containsExactly(4, 0, 0, 0, 'G', 'R', 'P', 'C');
        assertThat(intsOf(raw.getRawOutputContents(2))).containsExactly(4);
        assertThat(floatsOf(raw.getRawOutputContents(3))).containsExactly(111f);
    }

    @Test
    void grpcErrorsCarryTheCoreCodes() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = stub(channel);
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("nope")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1.0f)))
                .build()), Status.Code.NOT_FOUND, "nope");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("hp2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2))
                .addRawInputContents(ByteString.copyFrom(new byte[4]))
                .build()), Status.Code.INVALID_ARGUMENT, "4 bytes of raw contents");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("hp2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("INT8").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addIntContents(300)))
                .build()), Status.Code.INVALID_ARGUMENT, "out of its range");
    }

    // ---- tokens, batching and metrics apply as to TF Serving's API ----

    @Test
    void tokensGuardInferenceButNotTheProbes() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub anonymous = stub(guardedChannel);
        assertThat(anonymous.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(anonymous.modelReady(ModelReadyRequest.newBuilder().setName("hp2").build()).getReady()).isTrue();
        assertCode(() -> anonymous.modelInfer(oneFloat("hp2", 1.0f)), Status.Code.UNAUTHENTICATED, "");
        assertCode(() -> anonymous.serverMetadata(ServerMetadataRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "");
        Metadata authorization = new Metadata();
        authorization.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + PREDICTOR);
        ModelInferResponse answer = anonymous
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(authorization))
                .modelInfer(oneFloat("hp2", 1.0f));
        assertThat(typedFloats(answer)).containsExactly(2.5f);
    }


    @Test
    void concurrentCallsOnABatchingServerAllAnswerAndAreCountedInTheMetrics() throws Exception {
        Metadata authorization = new Metadata();
        authorization.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + PREDICTOR);
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub futures = GRPCInferenceServiceGrpc
                .newFutureStub(guardedChannel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(authorization))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        double before = requestCount();
        List<com.google.common.util.concurrent.ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(futures.modelInfer(oneFloat("tf2", i)));
        }
        for (int i = 0; i < 16; i++) {
            assertThat(typedFloats(calls.get(i).get(30, TimeUnit.SECONDS)))
                    .containsExactly(0.5f * i + 2.0f);
        }
        // The same recording as TF Serving's API: Predict on the gRPC entrypoint, 16 more.
        assertThat(requestCount() - before).isEqualTo(16.0);
    }
}
