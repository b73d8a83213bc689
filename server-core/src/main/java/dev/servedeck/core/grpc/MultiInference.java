package dev.servedeck.core.grpc;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.inference.ExampleInputs;
import dev.servedeck.core.inference.MultiInferenceTasks;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.proto.apis.InferenceResult;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.MultiInferenceResponse;

/**
 * TF Serving's MultiInference: several classify/regress tasks, each with its own signature, on one model and
 * one input. The rules are {@link MultiInferenceTasks}' (shared with warmup replay). Every task runs on the
 * version the first task resolved, so a version swap in the middle of a call cannot mix answers from two
 * versions.
 */
final class MultiInference {

    private final ServingApi api;

    MultiInference(ServingApi api) {
        this.api = api;
    }

    MultiInferenceResponse run(MultiInferenceRequest request) {
        MultiInferenceTasks tasks = MultiInferenceTasks.validate(request);
        ModelSpec firstSpec = ModelSpecs.fromProto(tasks.firstHasModelSpec(), tasks.firstModelSpec());
        // Resolves the version once (name + version or label) and tells which signatures it has.
        ModelMetadata model = api.metadata(firstSpec);
        ExampleBatch input = ExampleInputs.toBatch(request.getInput());
        return MultiInferenceResponse.newBuilder()
                .addAllResults(tasks.run(model.signatureDefs(), input, new PinnedVersion(model)))
                .build();
    }

    /** Runs each task through the core on the one version the request resolved to. */
    private final class PinnedVersion implements MultiInferenceTasks.TaskRunner<InferenceResult> {

        private final ModelMetadata model;

        PinnedVersion(ModelMetadata model) {
            this.model = model;
        }

        @Override
        public InferenceResult classify(String signature, ExampleBatch input) {
            ClassifyResult classified = api.classify(pinned(signature), input);
            return InferenceResult.newBuilder()
                    .setClassificationResult(InferenceResults.classification(classified))
                    .setModelSpec(ModelSpecs.effective(classified.servedBy(), classified.signatureName()))
                    .build();
        }

        @Override
        public InferenceResult regress(String signature, ExampleBatch input) {
            RegressResult regressed = api.regress(pinned(signature), input);
            return InferenceResult.newBuilder()
                    .setRegressionResult(InferenceResults.regression(regressed))
                    .setModelSpec(ModelSpecs.effective(regressed.servedBy(), regressed.signatureName()))
                    .build();
        }

        private ModelSpec pinned(String signature) {
            return ModelSpec.version(model.servedBy().name(), model.servedBy().version()).withSignature(signature);
        }
    }
}
