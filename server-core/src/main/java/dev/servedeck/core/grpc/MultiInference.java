package dev.servedeck.core.grpc;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.apis.InferenceResult;
import dev.servedeck.proto.apis.InferenceTask;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.MultiInferenceResponse;
import java.util.HashSet;
import java.util.Set;

/**
 * TF Serving's MultiInference: several classify/regress tasks, each with its own signature, on one model and
 * one input. Validation and messages follow TF Serving's multi_inference.cc. Every task runs on the version
 * the first task resolved, so a version swap in the middle of a call cannot mix answers from two versions.
 */
final class MultiInference {

    static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
    static final String REGRESS_METHOD = "tensorflow/serving/regress";

    private final ServingApi api;

    MultiInference(ServingApi api) {
        this.api = api;
    }

    MultiInferenceResponse run(MultiInferenceRequest request) {
        if (request.getTasksCount() == 0) {
            throw ServingException.invalidArgument("MultiInferenceRequest must contain at least one task.");
        }
        validateTasks(request);
        InferenceTask first = request.getTasks(0);
        ModelSpec firstSpec = ModelSpecs.fromProto(first.hasModelSpec(), first.getModelSpec());
        // Resolves the version once (name + version or label) and tells which signatures it has.
        ModelMetadata model = api.metadata(firstSpec);
        long version = model.servedBy().version();
        ExampleBatch input = ExampleInputs.toBatch(request.getInput());

        MultiInferenceResponse.Builder response = MultiInferenceResponse.newBuilder();
        for (InferenceTask task : request.getTasksList()) {
            String signature = signatureOf(task);
            if (!model.signatureDefs().containsKey(signature)) {
                throw ServingException.invalidArgument("Requested signature not found in model graph: " + signature);
            }
            ModelSpec pinned = ModelSpec.version(model.servedBy().name(), version).withSignature(signature);
            InferenceResult.Builder result = response.addResultsBuilder();
            if (CLASSIFY_METHOD.equals(task.getMethodName())) {
                ClassifyResult classified = api.classify(pinned, input);
                result.setClassificationResult(InferenceResults.classification(classified))
                        .setModelSpec(ModelSpecs.effective(classified.servedBy(), classified.signatureName()));
            } else {
                RegressResult regressed = api.regress(pinned, input);
                result.setRegressionResult(InferenceResults.regression(regressed))
                        .setModelSpec(ModelSpecs.effective(regressed.servedBy(), regressed.signatureName()));
            }
        }
        return response.build();
    }

    /** All checks before any inference runs, as TF Serving does them (same order, same words). */
    private static void validateTasks(MultiInferenceRequest request) {
        String modelName = "";
        Set<String> signatures = new HashSet<>();
        for (InferenceTask task : request.getTasksList()) {
            String name = task.getModelSpec().getName();
            if (name.isEmpty()) {
                throw ServingException.invalidArgument("Found ModelSpec with an empty model name.");
            }
            if (modelName.isEmpty()) {
                modelName = name;
            } else if (!modelName.equals(name)) {
                throw ServingException.invalidArgument(
                        "All ModelSpecs in a MultiInferenceRequest must access the same model name.");
            }
            String signature = signatureOf(task);
            if (!signatures.add(signature)) {
                throw ServingException.invalidArgument("Duplicate evaluation of signature: " + signature);
            }
            String method = task.getMethodName();
            if (!CLASSIFY_METHOD.equals(method) && !REGRESS_METHOD.equals(method)) {
                throw new ServingException(Code.UNIMPLEMENTED, "Unsupported signature method_name: " + method);
            }
        }
    }

    private static String signatureOf(InferenceTask task) {
        String signature = task.getModelSpec().getSignatureName();
        return signature.isEmpty() ? Servable.DEFAULT_SIGNATURE : signature;
    }
}
