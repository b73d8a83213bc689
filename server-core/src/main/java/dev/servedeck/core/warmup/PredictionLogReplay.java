package dev.servedeck.core.warmup;

import dev.servedeck.core.inference.ExampleInputs;
import dev.servedeck.core.inference.MultiInferenceTasks;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionLog;
import dev.servedeck.proto.apis.RegressionRequest;
import java.util.LinkedHashSet;

/**
 * Runs one warmup record on a loaded servable, as TF Serving's saved_model_warmup.cc does: the request's
 * signature and inputs count, its model name and version do not (the record runs on the version being
 * loaded). Answers are dropped; failures are the servable's own, or the tensor bound's: a record's inputs are
 * checked against it before they run, as a client's would be.
 */
final class PredictionLogReplay {

    private PredictionLogReplay() {
    }

    /**
     * @return false for a record TF Serving skips without running anything (no log type, or a streamed
     *     predict log, which TF Serving's warmup does not replay either)
     * @throws ServingException the request's failure; UNIMPLEMENTED for a session run log, with TF Serving's words
     */
    static boolean replay(Servable servable, PredictionLog log, TensorByteLimit limit) {
        switch (log.getLogTypeCase()) {
            case PREDICT_LOG -> {
                PredictRequest request = log.getPredictLog().getRequest();
                limit.checkInputs(request.getInputsMap());
                servable.predict(request.getModelSpec().getSignatureName(), request.getInputsMap(),
                        new LinkedHashSet<>(request.getOutputFilterList()));
            }
            case CLASSIFY_LOG -> {
                ClassificationRequest request = log.getClassifyLog().getRequest();
                ExampleBatch batch = checked(ExampleInputs.toBatch(request.getInput()), limit);
                servable.classify(request.getModelSpec().getSignatureName(), batch);
            }
            case REGRESS_LOG -> {
                RegressionRequest request = log.getRegressLog().getRequest();
                ExampleBatch batch = checked(ExampleInputs.toBatch(request.getInput()), limit);
                servable.regress(request.getModelSpec().getSignatureName(), batch);
            }
            case MULTI_INFERENCE_LOG -> {
                MultiInferenceRequest request = log.getMultiInferenceLog().getRequest();
                MultiInferenceTasks.validate(request).run(servable.signatureDefs(),
                        checked(ExampleInputs.toBatch(request.getInput()), limit), new OnServable(servable));
            }
            case SESSION_RUN_LOG -> throw new ServingException(Code.UNIMPLEMENTED,
                    "Unsupported log_type for warmup: " + PredictionLog.SESSION_RUN_LOG_FIELD_NUMBER
                            + " (session_run_log)");
            case PREDICT_STREAMED_LOG, LOGTYPE_NOT_SET -> {
                return false;
            }
        }
        return true;
    }

    private static ExampleBatch checked(ExampleBatch batch, TensorByteLimit limit) {
        limit.checkExamples(batch);
        return batch;
    }

    /** A multi-inference task run straight on the servable being loaded. */
    private record OnServable(Servable servable) implements MultiInferenceTasks.TaskRunner<Object> {

        @Override
        public Object classify(String signature, ExampleBatch input) {
            return servable.classify(signature, input);
        }

        @Override
        public Object regress(String signature, ExampleBatch input) {
            return servable.regress(signature, input);
        }
    }
}
