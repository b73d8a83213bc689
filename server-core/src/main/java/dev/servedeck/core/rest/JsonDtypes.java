package dev.servedeck.core.rest;

import dev.servedeck.core.wire.Dtypes;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.tensorflow.proto.DataType;

/**
 * The dtypes the JSON codecs convert, a decision of this package: TensorBuilder reads and TensorValues writes
 * booleans, integers and IEEE floats (and strings). Quantized, complex, float8 and int4 tensors have a size on
 * the wire but no JSON form here, so the codecs refuse them rather than guess one.
 */
final class JsonDtypes {

    private static final Set<DataType> NUMBERS = Collections.unmodifiableSet(EnumSet.of(
            DataType.DT_BOOL, DataType.DT_INT8, DataType.DT_UINT8, DataType.DT_INT16, DataType.DT_UINT16,
            DataType.DT_INT32, DataType.DT_UINT32, DataType.DT_INT64, DataType.DT_UINT64,
            DataType.DT_HALF, DataType.DT_BFLOAT16, DataType.DT_FLOAT, DataType.DT_DOUBLE));

    private JsonDtypes() {
    }

    /** Bytes per element in {@code tensor_content} of a dtype the codecs convert as numbers; 0 for strings and the rest. */
    static int packedBytes(DataType dtype) {
        return NUMBERS.contains(dtype) ? Dtypes.bytesPerElement(dtype) : 0;
    }
}
