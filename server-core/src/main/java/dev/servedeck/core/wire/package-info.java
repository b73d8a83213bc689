/**
 * Facts of TF Serving's wire types ({@code TensorProto}, {@code TensorShapeProto}, {@code DataType}) as
 * TensorFlow itself states them: the base dtype of a reference dtype, TensorFlow's short dtype names, bytes per
 * element in {@code tensor_content}, and shapes (dims, printing, element counts).
 *
 * <p>One place for these facts, because three copies of the dtype table once disagreed (on quantized and
 * complex dtypes). The package needs no TensorFlow runtime: it reads only the generated
 * {@code org.tensorflow.proto} classes, so the REST and gRPC front ends, batching and the console can use it
 * without loading TensorFlow. What a caller <em>supports</em> (the JSON codecs, the runtime conversion) is
 * that caller's own decision; the facts here only describe the wire.
 */
package dev.servedeck.core.wire;
