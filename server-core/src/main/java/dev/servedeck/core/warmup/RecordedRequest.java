package dev.servedeck.core.warmup;

import dev.servedeck.core.inference.ExampleInputs;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.ClassifyLog;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictLog;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionLog;
import dev.servedeck.proto.apis.RegressLog;
import dev.servedeck.proto.apis.RegressionRequest;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.TensorProto;

/**
 * One successful request as {@link RecentRequests} keeps it: references to the immutable protos the front end
 * already holds, turned into a PredictionLog only when a warmup file is written.
 */
sealed interface RecordedRequest {

    /** What the request's tensors or examples take, serialized: what the byte bound counts. */
    long bytes();

    PredictionLog toLog(String model);

    /** The model spec a warmup record carries: name and signature; the version is the one being loaded. */
    private static ModelSpec spec(String model, String signature) {
        return ModelSpec.newBuilder().setName(model).setSignatureName(signature).build();
    }

    record Predict(String signature, Map<String, TensorProto> inputs, List<String> outputFilter, long bytes)
            implements RecordedRequest {

        @Override
        public PredictionLog toLog(String model) {
            PredictRequest request = PredictRequest.newBuilder()
                    .setModelSpec(spec(model, signature))
                    .putAllInputs(inputs)
                    .addAllOutputFilter(outputFilter)
                    .build();
            return PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(request)).build();
        }
    }

    record Classify(String signature, ExampleBatch input, long bytes) implements RecordedRequest {

        @Override
        public PredictionLog toLog(String model) {
            ClassificationRequest request = ClassificationRequest.newBuilder()
                    .setModelSpec(spec(model, signature))
                    .setInput(ExampleInputs.toInput(input))
                    .build();
            return PredictionLog.newBuilder().setClassifyLog(ClassifyLog.newBuilder().setRequest(request)).build();
        }
    }

    record Regress(String signature, ExampleBatch input, long bytes) implements RecordedRequest {

        @Override
        public PredictionLog toLog(String model) {
            RegressionRequest request = RegressionRequest.newBuilder()
                    .setModelSpec(spec(model, signature))
                    .setInput(ExampleInputs.toInput(input))
                    .build();
            return PredictionLog.newBuilder().setRegressLog(RegressLog.newBuilder().setRequest(request)).build();
        }
    }
}
