package dev.servedeck.core.rest;

import org.tensorflow.proto.DataType;

/** What the JSON codecs need to know of TensorFlow dtypes: TF's short names and packed element sizes. */
final class TensorTypes {

    private TensorTypes() {
    }

    /** TensorFlow's DataTypeString: DT_FLOAT is "float", DT_UINT8 is "uint8". */
    static String name(DataType dtype) {
        String full = dtype.name();
        return full.startsWith("DT_") ? full.substring(3).toLowerCase(java.util.Locale.ROOT) : full;
    }

    /** Bytes per element in {@code tensor_content}, or 0 for types the JSON codecs do not pack (strings, others). */
    static int contentBytes(DataType dtype) {
        return switch (dtype) {
            case DT_BOOL, DT_INT8, DT_UINT8 -> 1;
            case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            default -> 0;
        };
    }
}
