package dev.servedeck.core.tensorflow;

import java.util.Optional;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * What the TensorFlow Java runtime makes of a dtype. The dtype facts of the wire (base dtypes, names, sizes)
 * are core.wire's {@code Dtypes}; this class holds only what needs the runtime's classes.
 */
final class DataTypes {

    private DataTypes() {
    }

    /**
     * The TensorFlow Java tensor class of a dtype. TF Java 1.1.0 has no classes for DT_INT8, DT_INT16,
     * DT_UINT32 and DT_UINT64, so tensors of those dtypes cannot cross into the runtime.
     */
    static Optional<Class<? extends TType>> tensorClass(DataType type) {
        Class<? extends TType> tensorClass = switch (type) {
            case DT_FLOAT -> TFloat32.class;
            case DT_DOUBLE -> TFloat64.class;
            case DT_HALF -> TFloat16.class;
            case DT_BFLOAT16 -> TBfloat16.class;
            case DT_INT32 -> TInt32.class;
            case DT_INT64 -> TInt64.class;
            case DT_UINT8 -> TUint8.class;
            case DT_UINT16 -> TUint16.class;
            case DT_BOOL -> TBool.class;
            case DT_STRING -> TString.class;
            default -> null;
        };
        return Optional.ofNullable(tensorClass);
    }
}
