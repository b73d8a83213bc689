package dev.servedeck.core.servable;

import java.util.Map;
import org.tensorflow.proto.TensorProto;

/** The outputs of one Predict run and where its time went. */
public record TimedOutputs(Map<String, TensorProto> outputs, RunPhases phases) {
}
