package dev.servedeck.core;

import dev.servedeck.core.servable.ServableId;
import java.util.Map;
import org.tensorflow.proto.TensorProto;

/** The answer to a Predict call: the version that served it, the signature used, and the outputs by alias. */
public record PredictResult(ServableId servedBy, String signatureName, Map<String, TensorProto> outputs) {
}
