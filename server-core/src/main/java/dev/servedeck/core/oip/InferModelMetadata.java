package dev.servedeck.core.oip;

import java.util.List;

/**
 * A model's metadata in the protocol's terms.
 *
 * @param versions the AVAILABLE versions, which a client may name
 * @param inputs the inputs of the signature the metadata describes ({@code serving_default} by default)
 */
public record InferModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
        List<TensorMetadata> outputs) {
}
