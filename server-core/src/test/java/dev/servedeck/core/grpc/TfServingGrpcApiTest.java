package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.classify;
import static dev.servedeck.core.grpc.GrpcTestRequests.examples;
import static dev.servedeck.core.grpc.GrpcTestRequests.floatContent;
import static dev.servedeck.core.grpc.GrpcTestRequests.floatVal;
import static dev.servedeck.core.grpc.GrpcTestRequests.floats;
import static dev.servedeck.core.grpc.GrpcTestRequests.labelled;
import static dev.servedeck.core.grpc.GrpcTestRequests.predict;
import static dev.servedeck.core.grpc.GrpcTestRequests.regress;
import static dev.servedeck.core.grpc.GrpcTestRequests.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.inference.MultiInferenceTasks;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.ClassificationResponse;
import dev.servedeck.proto.apis.GetModelMetadataRequest;
import dev.servedeck.proto.apis.GetModelMetadataResponse;
import dev.servedeck.proto.apis.GetModelStatusRequest;
import dev.servedeck.proto.apis.GetModelStatusResponse;
import dev.servedeck.proto.apis.InferenceTask;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.ModelVersionStatus;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.MultiInferenceResponse;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.RegressionResponse;
import dev.servedeck.proto.apis.SignatureDefMap;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.error.Code;

/**
 * TF Serving's PredictionService and GetModelStatus over the in-process transport, with real TensorFlow on
 * TF Serving's own test models, checked against the answers TF Serving gives.
 */
class TfServingGrpcApiTest {

    private static ServerCore core;
    private static InProcessGrpcServer grpc;

    @BeforeAll
    static void start() {
        core = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                ModelServerConfigFile.parse(GrpcTestRequests.config(TfServingTestData.root()), "test config"));
        grpc = InProcessGrpcServer.start(core);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (grpc != null) {
            grpc.close();
        }
        if (core != null) {
            core.close();
        }
    }

    @Test
    void predictWithTypedFloatValues() {
        PredictResponse response = grpc.prediction().predict(predict(spec("default"), floatVal(2f, 3f, 4f)));
        assertThat(floats(response.getOutputsOrThrow("y"))).containsExactly(3f, 3.5f, 4f);
        assertThat(response.getModelSpec()).isEqualTo(ModelSpec.newBuilder().setName("default")
                .setVersion(com.google.protobuf.Int64Value.of(123)).setSignatureName("serving_default").build());
    }

    @Test
    void predictWithTensorContentAsPythonWritesIt() {
        PredictResponse response = grpc.prediction().predict(predict(spec("default"), floatContent(2f, 3f, 4f)));
        assertThat(floats(response.getOutputsOrThrow("y"))).containsExactly(3f, 3.5f, 4f);
        // Numeric outputs come back in tensor_content, as TF Serving sends them.
        assertThat(response.getOutputsOrThrow("y").getTensorContent().size()).isEqualTo(3 * Float.BYTES);
    }

    @Test
    void predictHonoursOutputFilterAndExplicitSignature() {
        PredictRequest request = predict(spec("default").toBuilder().setSignatureName("serving_default").build(),
                floatVal(1f)).toBuilder().addOutputFilter("y").build();
        assertThat(grpc.prediction().predict(request).getOutputsMap()).containsOnlyKeys("y");

        PredictRequest unknownOutput = request.toBuilder().clearOutputFilter().addOutputFilter("nope").build();
        assertCode(() -> grpc.prediction().predict(unknownOutput), Status.Code.INVALID_ARGUMENT, "nope");
    }

    @Test
    void predictByVersionAndByLabelEchoesTheVersionUsed() {
        assertThat(grpc.prediction().predict(predict(spec("all", 123), floatVal(1f))).getModelSpec().getVersion()
                .getValue()).isEqualTo(123);
        assertThat(grpc.prediction().predict(predict(labelled("all", "canary"), floatVal(1f))).getModelSpec()
                .getVersion().getValue()).isEqualTo(124);
        assertThat(grpc.prediction().predict(predict(labelled("all", "stable"), floatVal(1f))).getModelSpec()
                .getVersion().getValue()).isEqualTo(123);
        assertThat(grpc.prediction().predict(predict(spec("all"), floatVal(1f))).getModelSpec().getVersion()
                .getValue()).isEqualTo(124);
    }

    @Test
    void legacyModelServesItsValidSignatures() {
        PredictResponse response = grpc.prediction().predict(predict(spec("half_plus_three"), floatVal(1f, 2f)));
        assertThat(floats(response.getOutputsOrThrow("y"))).containsExactly(3.5f, 4f);
    }

    @Test
    void classifyAndRegressAsTfServing() {
        ClassificationResponse classified = grpc.prediction().classify(classify("classify_x_to_y", 2f));
        assertThat(classified.getResult().getClassifications(0).getClasses(0).getLabel()).isEmpty();
        assertThat(classified.getResult().getClassifications(0).getClasses(0).getScore()).isEqualTo(3f);
        assertThat(classified.getModelSpec().getSignatureName()).isEqualTo("classify_x_to_y");
        assertThat(classified.getModelSpec().getVersion().getValue()).isEqualTo(123);

        RegressionResponse regressed = grpc.prediction().regress(regress("regress_x_to_y", 2f, 4f));
        assertThat(regressed.getResult().getRegressionsList()).extracting(r -> r.getValue()).containsExactly(3f, 4f);
        assertThat(regressed.getModelSpec().getSignatureName()).isEqualTo("regress_x_to_y");
    }

    @Test
    void multiInferenceRunsEveryTaskOnOneVersion() {
        MultiInferenceResponse response = grpc.prediction().multiInference(MultiInferenceRequest.newBuilder()
                .addTasks(task("classify_x_to_y", MultiInferenceTasks.CLASSIFY_METHOD))
                .addTasks(task("regress_x_to_y", MultiInferenceTasks.REGRESS_METHOD))
                .setInput(examples(2f))
                .build());
        assertThat(response.getResultsCount()).isEqualTo(2);
        assertThat(response.getResults(0).getClassificationResult().getClassifications(0).getClasses(0).getScore())
                .isEqualTo(3f);
        assertThat(response.getResults(1).getRegressionResult().getRegressions(0).getValue()).isEqualTo(3f);
        assertThat(response.getResults(1).getModelSpec()).isEqualTo(ModelSpec.newBuilder().setName("default")
                .setVersion(com.google.protobuf.Int64Value.of(123)).setSignatureName("regress_x_to_y").build());
    }

    @Test
    void multiInferenceValidatesAsTfServing() {
        assertCode(() -> grpc.prediction().multiInference(MultiInferenceRequest.newBuilder()
                        .addTasks(task("classify_x_to_y", MultiInferenceTasks.CLASSIFY_METHOD))
                        .addTasks(InferenceTask.newBuilder().setModelSpec(spec("all").toBuilder()
                                .setSignatureName("regress_x_to_y")).setMethodName(MultiInferenceTasks.REGRESS_METHOD))
                        .setInput(examples(1f)).build()),
                Status.Code.INVALID_ARGUMENT, "All ModelSpecs in a MultiInferenceRequest must access the same model name.");
        assertCode(() -> grpc.prediction().multiInference(MultiInferenceRequest.newBuilder()
                        .addTasks(task("regress_x_to_y", MultiInferenceTasks.REGRESS_METHOD))
                        .addTasks(task("regress_x_to_y", MultiInferenceTasks.REGRESS_METHOD))
                        .setInput(examples(1f)).build()),
                Status.Code.INVALID_ARGUMENT, "Duplicate evaluation of signature: regress_x_to_y");
        assertCode(() -> grpc.prediction().multiInference(MultiInferenceRequest.newBuilder()
                        .addTasks(task("regress_x_to_y", "tensorflow/serving/predict"))
                        .setInput(examples(1f)).build()),
                Status.Code.UNIMPLEMENTED, "Unsupported signature method_name: tensorflow/serving/predict");
        assertCode(() -> grpc.prediction().multiInference(MultiInferenceRequest.newBuilder()
                        .addTasks(task("nope", MultiInferenceTasks.REGRESS_METHOD))
                        .setInput(examples(1f)).build()),
                Status.Code.INVALID_ARGUMENT, "Requested signature not found in model graph: nope");
    }

    @Test
    void metadataMatchesTfServing() throws Exception {
        GetModelMetadataResponse response = grpc.prediction().getModelMetadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(spec("default")).addMetadataField("signature_def").build());
        assertThat(response.getModelSpec().getName()).isEqualTo("default");
        assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(123);
        SignatureDefMap signatures = response.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);

        JsonNode expected = HttpJsonClient.parse(Files.readString(
                TfServingTestData.root().resolve("half_plus_two_model_metadata.json")));
        JsonNode actual = HttpJsonClient.parse(JsonFormat.printer().includingDefaultValueFields()
                .preservingProtoFieldNames().print(signatures));
        assertThat(actual).isEqualTo(expected.path("metadata").path("signature_def"));
    }

    @Test
    void metadataRequiresTheSignatureDefField() {
        assertCode(() -> grpc.prediction().getModelMetadata(GetModelMetadataRequest.newBuilder()
                        .setModelSpec(spec("default")).build()),
                Status.Code.INVALID_ARGUMENT, "GetModelMetadataRequest must specify at least one metadata_field");
        assertCode(() -> grpc.prediction().getModelMetadata(GetModelMetadataRequest.newBuilder()
                        .setModelSpec(spec("default")).addMetadataField("graph").build()),
                Status.Code.INVALID_ARGUMENT, "Metadata field graph is not supported");
    }

    @Test
    void modelStatusAsTfServing() {
        GetModelStatusResponse status = grpc.models().getModelStatus(
                GetModelStatusRequest.newBuilder().setModelSpec(spec("all")).build());
        assertThat(status.getModelVersionStatusList()).extracting(ModelVersionStatus::getVersion)
                .containsExactly(123L, 124L);
        assertThat(status.getModelVersionStatus(0).getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
        assertThat(status.getModelVersionStatus(0).getStatus().getErrorCode()).isEqualTo(Code.OK);

        assertThat(grpc.models().getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(labelled("all", "canary")).build()).getModelVersionStatus(0).getVersion()).isEqualTo(124);

        ModelVersionStatus bad = grpc.models().getModelStatus(
                GetModelStatusRequest.newBuilder().setModelSpec(spec("bad")).build()).getModelVersionStatus(0);
        assertThat(bad.getState()).isEqualTo(ModelVersionStatus.State.END);
        assertThat(bad.getStatus().getErrorCode()).isNotEqualTo(Code.OK);
        assertThat(bad.getStatus().getErrorMessage()).isNotBlank();
    }

    @Test
    void unknownModelVersionOrLabelIsNotFound() {
        assertCode(() -> grpc.prediction().predict(predict(spec("nope"), floatVal(1f))), Status.Code.NOT_FOUND, "nope");
        assertCode(() -> grpc.prediction().predict(predict(spec("default", 999), floatVal(1f))),
                Status.Code.NOT_FOUND, "");
        assertCode(() -> grpc.prediction().predict(predict(labelled("all", "nope"), floatVal(1f))),
                Status.Code.NOT_FOUND, "Unrecognized servable version label: nope");
        assertCode(() -> grpc.models().getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(spec("nope"))
                .build()), Status.Code.NOT_FOUND, "Could not find any versions of model nope");
        assertCode(() -> grpc.models().getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(spec("default", 999)).build()), Status.Code.NOT_FOUND, "Could not find version 999");
        assertCode(() -> grpc.prediction().getModelMetadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(spec("nope")).addMetadataField("signature_def").build()), Status.Code.NOT_FOUND, "");
    }

    @Test
    void badRequestsAreInvalidArgumentNamingTheInput() {
        // Two values for a shape of three elements: the tensor itself is malformed.
        PredictRequest malformed = predict(spec("default"), floatVal(1f, 2f).toBuilder()
                .setTensorShape(GrpcTestRequests.shape(3, 1)).build());
        assertCode(() -> grpc.prediction().predict(malformed), Status.Code.INVALID_ARGUMENT, "tensor parsing error: x");

        PredictRequest wrongName = PredictRequest.newBuilder().setModelSpec(spec("default"))
                .putInputs("z", floatVal(1f)).build();
        assertCode(() -> grpc.prediction().predict(wrongName), Status.Code.INVALID_ARGUMENT, "z");

        PredictRequest wrongType = predict(spec("default"), floatVal(1f).toBuilder()
                .setDtype(org.tensorflow.proto.DataType.DT_INT32).clearFloatVal().addIntVal(1).build());
        assertCode(() -> grpc.prediction().predict(wrongType), Status.Code.INVALID_ARGUMENT, "x");

        assertCode(() -> grpc.prediction().predict(PredictRequest.newBuilder().putInputs("x", floatVal(1f)).build()),
                Status.Code.INVALID_ARGUMENT, "Missing ModelSpec");
        assertCode(() -> grpc.prediction().classify(classify("classify_x_to_y").toBuilder().clearInput().build()),
                Status.Code.INVALID_ARGUMENT, "Input is empty.");
    }

    @Test
    void unknownSignatureIsFailedPreconditionAsTfServing() {
        PredictRequest request = predict(spec("default").toBuilder().setSignatureName("nope").build(), floatVal(1f));
        assertCode(() -> grpc.prediction().predict(request), Status.Code.FAILED_PRECONDITION,
                "Serving signature key \"nope\" not found.");
    }

    private static InferenceTask task(String signature, String method) {
        return InferenceTask.newBuilder()
                .setModelSpec(spec("default").toBuilder().setSignatureName(signature))
                .setMethodName(method).build();
    }

    static void assertCode(ThrowingCallable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(messagePart);
                });
    }
}
