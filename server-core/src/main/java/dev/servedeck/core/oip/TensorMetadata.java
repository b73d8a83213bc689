package dev.servedeck.core.oip;

/** A tensor of a model's signature as metadata describes it; -1 for a dimension of any size. */
public record TensorMetadata(String name, String datatype, long[] shape) {
}
