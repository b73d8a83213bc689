package dev.servedeck.core.warmup;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ServableState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * A front end's view of the core that tells {@link RecentRequests} about every successful inference call, with
 * the signature that answered it. Failed calls are not kept: a warmup file of them would fail the load.
 */
final class RecordingServingApi implements ServingApi {

    private final ServingApi core;
    private final RecentRequests recent;

    RecordingServingApi(ServingApi core, RecentRequests recent) {
        this.core = core;
        this.recent = recent;
    }

    @Override
    public ExpectedCall expectPredict(String model) {
        return core.expectPredict(model);
    }

    @Override
    public CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout) {
        if (!recent.recording()) {
            return core.predictAsync(spec, outputFilter, inputDecoder, timeout);
        }
        InputsSeen seen = new InputsSeen(inputDecoder);
        return core.predictAsync(spec, outputFilter, seen, timeout).thenApply(result -> {
            Map<String, TensorProto> inputs = seen.inputs;
            if (inputs != null) {
                recent.recordPredict(result.servedBy().name(), result.signatureName(), inputs, outputFilter);
            }
            return result;
        });
    }

    @Override
    public ClassifyResult classify(ModelSpec spec, ExampleBatch input) {
        ClassifyResult result = core.classify(spec, input);
        if (recent.recording()) {
            recent.recordClassify(result.servedBy().name(), result.signatureName(), input);
        }
        return result;
    }

    @Override
    public RegressResult regress(ModelSpec spec, ExampleBatch input) {
        RegressResult result = core.regress(spec, input);
        if (recent.recording()) {
            recent.recordRegress(result.servedBy().name(), result.signatureName(), input);
        }
        return result;
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        return core.metadata(spec);
    }

    @Override
    public List<ServableState> status(ModelSpec spec) {
        return core.status(spec);
    }

    /** Keeps a reference to the inputs the decoder made (on the caller's thread) for after the answer. */
    private static final class InputsSeen implements Function<SignatureDef, Map<String, TensorProto>> {

        private final Function<SignatureDef, Map<String, TensorProto>> decoder;
        private volatile Map<String, TensorProto> inputs;

        InputsSeen(Function<SignatureDef, Map<String, TensorProto>> decoder) {
            this.decoder = decoder;
        }

        @Override
        public Map<String, TensorProto> apply(SignatureDef signature) {
            Map<String, TensorProto> decoded = decoder.apply(signature);
            inputs = decoded;
            return decoded;
        }
    }
}
