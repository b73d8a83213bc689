package dev.servedeck.core.wire;

import com.google.protobuf.ByteString;
import java.util.OptionalLong;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The memory a {@link TensorProto} asks for once it becomes a tensor: what its shape and dtype declare, not
 * what its message carries. The two differ by any factor: TensorFlow fills a whole shape from a single typed
 * value (42 bytes on the wire declare 2 GB as a float tensor of shape [500000000]), and a string tensor's
 * shape sizes an array of per-element string headers however few bytes follow.
 *
 * <p>Fixed-size dtypes count {@code elements x} {@link Dtypes#bytesPerElement}. A string element counts its
 * bytes plus {@value #STRING_ELEMENT_BYTES}, the size of TensorFlow's {@code tstring} header (so a broadcast
 * of one empty string still counts); a single {@code string_val} fills every element, as for numbers. Dtypes
 * without a fixed size other than strings (resource, variant) count nothing. Products saturate at
 * {@link Long#MAX_VALUE} instead of overflowing.
 */
public final class TensorBytes {

    /** {@code sizeof(TF_TString)}: every element of a string tensor has one, whatever its length. */
    public static final int STRING_ELEMENT_BYTES = 24;

    private TensorBytes() {
    }

    /**
     * The bytes the tensor declares; empty when its shape declares no size at all (unknown rank, a negative
     * dimension), which no conversion accepts.
     */
    public static OptionalLong declared(TensorProto tensor) {
        OptionalLong elements = saturatedElementCount(tensor.getTensorShape());
        if (elements.isEmpty()) {
            return elements;
        }
        long count = elements.getAsLong();
        if (tensor.getDtype() != DataType.DT_STRING) {
            return OptionalLong.of(times(count, Dtypes.bytesPerElement(tensor.getDtype())));
        }
        return OptionalLong.of(plus(times(count, STRING_ELEMENT_BYTES), stringBytes(tensor, count)));
    }

    /** The bytes of the strings themselves; a single {@code string_val} counts once per element. */
    private static long stringBytes(TensorProto tensor, long elements) {
        if (!tensor.getTensorContent().isEmpty()) {
            // Lengths and bytes back to back: at least as many bytes as the strings hold.
            return tensor.getTensorContent().size();
        }
        if (tensor.getStringValCount() == 1) {
            return times(elements, tensor.getStringVal(0).size());
        }
        long sum = 0;
        for (ByteString value : tensor.getStringValList()) {
            sum += value.size();
        }
        return sum;
    }

    /**
     * The element count, saturated at Long.MAX_VALUE (as everywhere else, a shape whose product overflows a long is
     * refused, even when a later size is 0); empty for unknown rank or a negative size.
     */
    private static OptionalLong saturatedElementCount(TensorShapeProto shape) {
        OptionalLong known = Shapes.knownElementCount(shape);
        if (known.isPresent() || shape.getUnknownRank()) {
            return known;
        }
        for (long dim : Shapes.dims(shape)) {
            if (dim < 0) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.MAX_VALUE);
    }

    /** {@code a * b} for non-negative numbers, Long.MAX_VALUE when it would overflow. */
    public static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /** {@code a + b} for non-negative numbers, Long.MAX_VALUE when it would overflow. */
    public static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
