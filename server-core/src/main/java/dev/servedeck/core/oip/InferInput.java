package dev.servedeck.core.oip;

import org.tensorflow.proto.TensorProto;

/**
 * One input of an inference request, decoded: its name, the datatype the client declared, and its values as the
 * TensorProto the core runs.
 */
public record InferInput(String name, InferDatatype datatype, TensorProto tensor) {
}
