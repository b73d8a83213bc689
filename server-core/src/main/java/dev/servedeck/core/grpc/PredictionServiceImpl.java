package dev.servedeck.core.grpc;

import com.google.protobuf.Any;
import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.inference.ExampleInputs;
import dev.servedeck.core.ServingApi;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.ClassificationResponse;
import dev.servedeck.proto.apis.GetModelMetadataRequest;
import dev.servedeck.proto.apis.GetModelMetadataResponse;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.MultiInferenceResponse;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.apis.RegressionRequest;
import dev.servedeck.proto.apis.RegressionResponse;
import dev.servedeck.proto.apis.SignatureDefMap;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashSet;
import java.util.concurrent.Executor;

/**
 * TF Serving's {@code tensorflow.serving.PredictionService} over {@link ServingApi}: the same calls, the
 * same validation and errors as the REST front end, because both go through the core. Requests' TensorProtos
 * are handed to the core as they were parsed, without copies.
 */
public final class PredictionServiceImpl extends PredictionServiceGrpc.PredictionServiceImplBase {

    /** The only metadata field TF Serving knows. */
    static final String SIGNATURE_DEF_FIELD = "signature_def";

    private final ServingApi api;
    private final MultiInference multiInference;
    private final UnaryCalls calls;

    /** Calls run on {@code callExecutor}; the server should invoke these methods directly on its transport. */
    public PredictionServiceImpl(ServingApi api, Executor callExecutor) {
        this.api = api;
        this.calls = new UnaryCalls(callExecutor);
        this.multiInference = new MultiInference(api);
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
        // Asynchronous: a request waiting for its batch holds no gRPC thread, so --grpc_max_threads does not
        // cap the batch size. While it waits for a call thread it is company a partial batch of its model may wait
        // for; from that thread on, the core counts it.
        ExpectedCall expected = api.expectPredict(request.getModelSpec().getName());
        calls.answerAsync("Predict", observer, expected::close, () -> {
            ModelSpec spec = ModelSpecs.fromProto(request.hasModelSpec(), request.getModelSpec());
            return api.predictAsync(spec, new LinkedHashSet<>(request.getOutputFilterList()),
                    signature -> request.getInputsMap(), UnaryCalls.timeLeft())
                    .thenApply(PredictionServiceImpl::predictResponse);
        });
    }

    private static PredictResponse predictResponse(PredictResult result) {
        return PredictResponse.newBuilder()
                .setModelSpec(ModelSpecs.effective(result.servedBy(), result.signatureName()))
                .putAllOutputs(result.outputs())
                .build();
    }

    @Override
    public void classify(ClassificationRequest request, StreamObserver<ClassificationResponse> observer) {
        calls.answer("Classify", observer, () -> {
            ModelSpec spec = ModelSpecs.fromProto(request.hasModelSpec(), request.getModelSpec());
            ClassifyResult result = api.classify(spec, ExampleInputs.toBatch(request.getInput()));
            return ClassificationResponse.newBuilder()
                    .setModelSpec(ModelSpecs.effective(result.servedBy(), result.signatureName()))
                    .setResult(InferenceResults.classification(result))
                    .build();
        });
    }

    @Override
    public void regress(RegressionRequest request, StreamObserver<RegressionResponse> observer) {
        calls.answer("Regress", observer, () -> {
            ModelSpec spec = ModelSpecs.fromProto(request.hasModelSpec(), request.getModelSpec());
            RegressResult result = api.regress(spec, ExampleInputs.toBatch(request.getInput()));
            return RegressionResponse.newBuilder()
                    .setModelSpec(ModelSpecs.effective(result.servedBy(), result.signatureName()))
                    .setResult(InferenceResults.regression(result))
                    .build();
        });
    }

    @Override
    public void multiInference(MultiInferenceRequest request, StreamObserver<MultiInferenceResponse> observer) {
        calls.answer("MultiInference", observer, () -> multiInference.run(request));
    }

    @Override
    public void getModelMetadata(GetModelMetadataRequest request,
            StreamObserver<GetModelMetadataResponse> observer) {
        calls.answer("GetModelMetadata", observer, () -> {
            ModelSpec spec = ModelSpecs.fromProto(request.hasModelSpec(), request.getModelSpec());
            validateMetadataFields(request);
            ModelMetadata metadata = api.metadata(spec);
            SignatureDefMap signatures = SignatureDefMap.newBuilder()
                    .putAllSignatureDef(metadata.signatureDefs())
                    .build();
            return GetModelMetadataResponse.newBuilder()
                    .setModelSpec(ModelSpecs.servedBy(metadata.servedBy()))
                    .putMetadata(SIGNATURE_DEF_FIELD, Any.pack(signatures))
                    .build();
        });
    }

    /** TF Serving's checks and words (get_model_metadata_impl.cc). */
    private static void validateMetadataFields(GetModelMetadataRequest request) {
        if (request.getMetadataFieldCount() == 0) {
            throw GrpcStatuses.invalidArgument("GetModelMetadataRequest must specify at least one metadata_field");
        }
        for (String field : request.getMetadataFieldList()) {
            if (!SIGNATURE_DEF_FIELD.equals(field)) {
                throw GrpcStatuses.invalidArgument("Metadata field " + field + " is not supported");
            }
        }
    }
}
