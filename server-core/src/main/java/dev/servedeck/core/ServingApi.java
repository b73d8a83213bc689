package dev.servedeck.core;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ServableState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * What a front end (REST, gRPC, console) may ask of the serving core. Every method resolves the model
 * spec once and holds the chosen version for the whole call, so a version swap never fails a request.
 * Failures are {@link dev.servedeck.core.status.ServingException}s carrying TF Serving's status codes.
 */
public interface ServingApi {

    /**
     * TF Serving's Predict.
     *
     * @param inputDecoder turns the request body into input tensors, given the signature the call resolved
     *     to (REST needs the signature's dtypes to read JSON; gRPC ignores it). Runs on the caller's thread.
     */
    PredictResult predict(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder);

    ClassifyResult classify(ModelSpec spec, ExampleBatch input);

    RegressResult regress(ModelSpec spec, ExampleBatch input);

    ModelMetadata metadata(ModelSpec spec);

    /**
     * TF Serving's GetModelStatus: the state of every version of the model the server knows of (or of
     * the one version or label the spec names), ordered by version.
     */
    List<ServableState> status(ModelSpec spec);
}
