package dev.servedeck.core.tensorflow;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.tensorflow.proto.TensorShapeProto;

/** Shape arithmetic on {@link TensorShapeProto}s, printed the way TensorFlow prints shapes ({@code [2,10]}). */
final class TensorShapes {

    private TensorShapes() {
    }

    static long[] dims(TensorShapeProto shape) {
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).getSize();
        }
        return dims;
    }

    static TensorShapeProto of(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDimBuilder().setSize(dim);
        }
        return shape.build();
    }

    static String toString(long[] dims) {
        return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
    }

    static String toString(TensorShapeProto shape) {
        return shape.getUnknownRank() ? "<unknown>" : toString(dims(shape));
    }

    /**
     * The number of elements of a fully defined shape.
     *
     * @throws IllegalArgumentException for unknown rank, negative sizes or a count that overflows a long
     */
    static long elementCount(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            throw new IllegalArgumentException("its tensor_shape has unknown rank");
        }
        long count = 1;
        for (long dim : dims(shape)) {
            if (dim < 0) {
                throw new IllegalArgumentException("its tensor_shape " + toString(shape) + " has a negative size");
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
