package dev.servedeck.core.wire;

import java.util.OptionalLong;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * {@link TensorShapeProto}s as dimension arrays, printed the way TensorFlow prints shapes ({@code [2,10]}).
 * A size of -1 means "unknown" (a signature's batch dimension); {@code unknown_rank} means even the number of
 * dimensions is unknown, and then the dims array is empty.
 */
public final class Shapes {

    private Shapes() {
    }

    public static long[] dims(TensorShapeProto shape) {
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).getSize();
        }
        return dims;
    }

    public static long[] dims(TensorProto tensor) {
        return dims(tensor.getTensorShape());
    }

    /** The shape of known rank with these sizes. */
    public static TensorShapeProto of(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDimBuilder().setSize(dim);
        }
        return shape.build();
    }

    /** {@code [2,10]}, {@code []} for a scalar, as TensorFlow's TensorShape::DebugString; unknown sizes stay -1. */
    public static String toString(long[] dims) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            text.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return text.append(']').toString();
    }

    /** As {@link #toString(long[])}, and {@code <unknown>} for unknown rank, as PartialTensorShape prints it. */
    public static String toString(TensorShapeProto shape) {
        return shape.getUnknownRank() ? "<unknown>" : toString(dims(shape));
    }

    /**
     * The number of elements of a fully defined shape (1 for a scalar).
     *
     * @throws IllegalArgumentException for unknown rank, a negative size or more elements than a long counts;
     *     the message reads as the reason a tensor is malformed ("its tensor_shape ...")
     */
    public static long elementCount(TensorShapeProto shape) {
        OptionalLong count = knownElementCount(shape);
        if (count.isPresent()) {
            return count.getAsLong();
        }
        if (shape.getUnknownRank()) {
            throw new IllegalArgumentException("its tensor_shape has unknown rank");
        }
        for (long dim : dims(shape)) {
            if (dim < 0) {
                throw new IllegalArgumentException("its tensor_shape " + toString(shape) + " has a negative size");
            }
        }
        throw new IllegalArgumentException("its tensor_shape " + toString(shape) + " has more than 2**63 - 1 elements");
    }

    /**
     * The number of elements (1 for a scalar), for callers that only need to know whether a shape is usable:
     * empty for unknown rank, a negative size or more elements than a long counts (a client can send any of them).
     */
    public static OptionalLong knownElementCount(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            return OptionalLong.empty();
        }
        long count = 1;
        for (int i = 0; i < shape.getDimCount(); i++) {
            long dim = shape.getDim(i).getSize();
            if (dim < 0 || dim != 0 && count > Long.MAX_VALUE / dim) {
                return OptionalLong.empty();
            }
            count *= dim;
        }
        return OptionalLong.of(count);
    }
}
