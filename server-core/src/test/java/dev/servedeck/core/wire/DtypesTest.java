package dev.servedeck.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tensorflow.proto.DataType.*;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.proto.DataType;

class DtypesTest {

    /**
     * TensorFlow's DataTypeSize for every dtype of the proto, written out from types.cc (the same sizes are
     * compared with the runtime's TF_DataTypeSize in core.tensorflow's DtypeSizesOfTheRuntimeTest).
     */
    private static final Map<DataType, Integer> DATA_TYPE_SIZE = new EnumMap<>(DataType.class);

    static {
        for (DataType dtype : new DataType[] {DT_BOOL, DT_INT8, DT_UINT8, DT_QINT8, DT_QUINT8, DT_FLOAT8_E5M2,
                DT_FLOAT8_E4M3FN, DT_INT4, DT_UINT4}) {
            DATA_TYPE_SIZE.put(dtype, 1);
        }
        for (DataType dtype : new DataType[] {DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16, DT_QINT16, DT_QUINT16}) {
            DATA_TYPE_SIZE.put(dtype, 2);
        }
        for (DataType dtype : new DataType[] {DT_FLOAT, DT_INT32, DT_UINT32, DT_QINT32}) {
            DATA_TYPE_SIZE.put(dtype, 4);
        }
        for (DataType dtype : new DataType[] {DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64}) {
            DATA_TYPE_SIZE.put(dtype, 8);
        }
        DATA_TYPE_SIZE.put(DT_COMPLEX128, 16);
        for (DataType dtype : new DataType[] {DT_STRING, DT_RESOURCE, DT_VARIANT, DT_INVALID, UNRECOGNIZED}) {
            DATA_TYPE_SIZE.put(dtype, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(DataType.class)
    void everyDtypeHasTensorflowsSize(DataType dtype) {
        int expected = Dtypes.isRef(dtype) ? 0 : DATA_TYPE_SIZE.getOrDefault(dtype, -1);
        assertThat(expected).as("size decision written down for %s", dtype).isNotNegative();
        assertThat(Dtypes.bytesPerElement(dtype)).as("bytes per element of %s", dtype).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(DataType.class)
    void referenceDtypesHaveTheirBaseAndOthersAreTheirOwn(DataType dtype) {
        if (dtype.name().endsWith("_REF")) {
            assertThat(Dtypes.isRef(dtype)).isTrue();
            assertThat(Dtypes.base(dtype).name() + "_REF").isEqualTo(dtype.name());
            assertThat(Dtypes.isRef(Dtypes.base(dtype))).isFalse();
        } else {
            assertThat(Dtypes.isRef(dtype)).isFalse();
            assertThat(Dtypes.base(dtype)).isSameAs(dtype);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "DT_FLOAT, float",
        "DT_DOUBLE, double",
        "DT_INT64, int64",
        "DT_UINT8, uint8",
        "DT_STRING, string",
        "DT_BOOL, bool",
        "DT_HALF, half",
        "DT_BFLOAT16, bfloat16",
        "DT_QUINT8, quint8",
        "DT_COMPLEX128, complex128",
        "DT_FLOAT8_E4M3FN, float8_e4m3fn",
        "DT_INT4, int4",
        "DT_RESOURCE, resource",
        "DT_VARIANT, variant",
        "DT_FLOAT_REF, float_ref",
        "DT_INT64_REF, int64_ref",
        "DT_INVALID, INVALID",
        "UNRECOGNIZED, unknown dtype enum",
    })
    void namesAreTensorflowsDataTypeString(DataType dtype, String name) {
        assertThat(Dtypes.name(dtype)).isEqualTo(name);
    }
}
