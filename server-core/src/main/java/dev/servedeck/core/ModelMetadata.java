package dev.servedeck.core;

import dev.servedeck.core.servable.ServableId;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;

/** The answer to GetModelMetadata: the version described and its signatures as the SavedModel declares them. */
public record ModelMetadata(ServableId servedBy, Map<String, SignatureDef> signatureDefs) {
}
