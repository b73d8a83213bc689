package dev.servedeck.core.wire;

import java.util.Locale;
import org.tensorflow.proto.DataType;

/**
 * Facts of TensorFlow's {@link DataType} enum, as tensorflow/core/framework/types.cc states them
 * (IsRefType, RemoveRefType, DataTypeString, DataTypeSize).
 */
public final class Dtypes {

    /** TensorFlow numbers each reference dtype (DT_FLOAT_REF ...) as its base dtype plus this offset. */
    private static final int REF_OFFSET = 100;

    private Dtypes() {
    }

    /** Whether the dtype is a reference dtype: TF1 SignatureDefs declare variables as, e.g., DT_FLOAT_REF. */
    public static boolean isRef(DataType dtype) {
        return dtype != DataType.UNRECOGNIZED && dtype.getNumber() > REF_OFFSET;
    }

    /** DT_FLOAT for DT_FLOAT_REF; every other dtype (UNRECOGNIZED included) is its own base. */
    public static DataType base(DataType dtype) {
        if (!isRef(dtype)) {
            return dtype;
        }
        DataType base = DataType.forNumber(dtype.getNumber() - REF_OFFSET);
        return base == null ? dtype : base;
    }

    /**
     * TensorFlow's name of a dtype, as its DataTypeString prints it in error messages: "float", "int64",
     * "string", "float_ref", and "INVALID" for DT_INVALID. The proto's enum constants are named after these
     * (DT_ plus the name in upper case), so only DT_INVALID and unknown numbers need their own spelling.
     */
    public static String name(DataType dtype) {
        if (dtype == DataType.UNRECOGNIZED) {
            // TensorFlow adds the number, which the Java enum no longer knows.
            return "unknown dtype enum";
        }
        if (dtype == DataType.DT_INVALID) {
            return "INVALID";
        }
        return dtype.name().substring("DT_".length()).toLowerCase(Locale.ROOT);
    }

    /**
     * Bytes per element in {@code tensor_content}: TensorFlow's DataTypeSize (checked against the bundled
     * runtime's TF_DataTypeSize by a test). 0 means no fixed size: strings, resources, variants, DT_INVALID,
     * and reference dtypes (never a tensor's dtype on the wire). The switch has no default, so a dtype added
     * by a newer proto fails the build here until someone decides its size.
     */
    public static int bytesPerElement(DataType dtype) {
        return switch (dtype) {
            // int4 and uint4 take one byte each in memory and in tensor_content, as TensorFlow stores them.
            case DT_BOOL, DT_INT8, DT_UINT8, DT_QINT8, DT_QUINT8, DT_FLOAT8_E5M2, DT_FLOAT8_E4M3FN, DT_INT4,
                    DT_UINT4 -> 1;
            case DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16, DT_QINT16, DT_QUINT16 -> 2;
            case DT_FLOAT, DT_INT32, DT_UINT32, DT_QINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
            case DT_COMPLEX128 -> 16;
            case DT_STRING, DT_RESOURCE, DT_VARIANT, DT_INVALID, UNRECOGNIZED -> 0;
            case DT_FLOAT_REF, DT_DOUBLE_REF, DT_INT32_REF, DT_UINT8_REF, DT_INT16_REF, DT_INT8_REF, DT_STRING_REF,
                    DT_COMPLEX64_REF, DT_INT64_REF, DT_BOOL_REF, DT_QINT8_REF, DT_QUINT8_REF, DT_QINT32_REF,
                    DT_BFLOAT16_REF, DT_QINT16_REF, DT_QUINT16_REF, DT_UINT16_REF, DT_COMPLEX128_REF, DT_HALF_REF,
                    DT_RESOURCE_REF, DT_VARIANT_REF, DT_UINT32_REF, DT_UINT64_REF, DT_FLOAT8_E5M2_REF,
                    DT_FLOAT8_E4M3FN_REF, DT_INT4_REF, DT_UINT4_REF -> 0;
        };
    }
}
