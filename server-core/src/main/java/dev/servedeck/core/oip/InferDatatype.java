package dev.servedeck.core.oip;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * The protocol's tensor datatypes and the TensorFlow dtype each one is. Whether a dtype can be served is not
 * decided here: the core answers UNIMPLEMENTED for the ones TensorFlow Java 1.1.0 has no tensor class for (INT8,
 * INT16, UINT32, UINT64), as it does for TF Serving's API.
 */
public enum InferDatatype {
    BOOL(DataType.DT_BOOL),
    UINT8(DataType.DT_UINT8),
    UINT16(DataType.DT_UINT16),
    UINT32(DataType.DT_UINT32),
    UINT64(DataType.DT_UINT64),
    INT8(DataType.DT_INT8),
    INT16(DataType.DT_INT16),
    INT32(DataType.DT_INT32),
    INT64(DataType.DT_INT64),
    FP16(DataType.DT_HALF),
    BF16(DataType.DT_BFLOAT16),
    FP32(DataType.DT_FLOAT),
    FP64(DataType.DT_DOUBLE),
    BYTES(DataType.DT_STRING);

    private final DataType dtype;

    InferDatatype(DataType dtype) {
        this.dtype = dtype;
    }

    public DataType dtype() {
        return dtype;
    }

    /** Bytes per element in raw contents; 0 for BYTES, whose elements each carry a 4-byte length. */
    public int elementBytes() {
        return Dtypes.bytesPerElement(dtype);
    }

    /**
     * The datatype a request names, exactly as the protocol spells it (upper case).
     *
     * @throws ServingException INVALID_ARGUMENT for any other name
     */
    public static InferDatatype parse(String name, String tensor) {
        for (InferDatatype datatype : values()) {
            if (datatype.name().equals(name)) {
                return datatype;
            }
        }
        throw ServingException.invalidArgument("Input '" + tensor + "' has an unknown datatype '" + name
                + "'; the protocol's datatypes are BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, "
                + "FP16, BF16, FP32, FP64 and BYTES");
    }

    /** The datatype of a TensorFlow dtype (reference dtypes as their base); empty for one the protocol lacks. */
    public static Optional<InferDatatype> of(DataType dtype) {
        DataType base = Dtypes.base(dtype);
        for (InferDatatype datatype : values()) {
            if (datatype.dtype == base) {
                return Optional.of(datatype);
            }
        }
        return Optional.empty();
    }

    /**
     * How metadata names a dtype: the protocol's datatype, or TensorFlow's own name in upper case for a dtype the
     * protocol has none for (a resource or variant input), so that the model is still described.
     */
    public static String describe(DataType dtype) {
        return of(dtype).map(Enum::name).orElseGet(() -> Dtypes.name(Dtypes.base(dtype)).toUpperCase(Locale.ROOT));
    }
}
