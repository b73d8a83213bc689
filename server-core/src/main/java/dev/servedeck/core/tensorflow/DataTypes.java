package dev.servedeck.core.tensorflow;

import java.util.Locale;
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

/** Facts about TensorFlow dtypes that the converters and validators share. */
final class DataTypes {

    /** TensorFlow numbers reference dtypes (DT_FLOAT_REF ...) as their base dtype plus this offset. */
    private static final int REF_OFFSET = 100;

    private DataTypes() {
    }

    /** DT_FLOAT for DT_FLOAT_REF: SignatureDefs of TF1 models declare variables as *_REF dtypes. */
    static DataType base(DataType type) {
        int number = type.getNumber();
        if (number > REF_OFFSET) {
            DataType base = DataType.forNumber(number - REF_OFFSET);
            return base == null ? type : base;
        }
        return type;
    }

    /** TensorFlow's short name ("float", "int64", "string"), as its own error messages print dtypes. */
    static String shortName(DataType type) {
        String name = base(type).name();
        return name.startsWith("DT_") ? name.substring(3).toLowerCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT);
    }

    /** Bytes per element in {@code tensor_content}; 0 for DT_STRING and dtypes this server does not handle. */
    static int elementSize(DataType type) {
        return switch (type) {
            case DT_BOOL, DT_INT8, DT_UINT8 -> 1;
            case DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16 -> 2;
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            default -> 0;
        };
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
