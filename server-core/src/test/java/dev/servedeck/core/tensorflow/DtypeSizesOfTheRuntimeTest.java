package dev.servedeck.core.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.wire.Dtypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.DataType;

/**
 * core.wire's sizes are written out from TensorFlow's types.cc; this asks the bundled runtime itself
 * (TF_DataTypeSize), so an upgrade of TensorFlow Java that changes a size fails here.
 */
class DtypeSizesOfTheRuntimeTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, mode = EnumSource.Mode.EXCLUDE, names = "UNRECOGNIZED")
    void bytesPerElementIsTheRuntimesDataTypeSize(DataType dtype) {
        assertThat(Dtypes.bytesPerElement(dtype)).isEqualTo(tensorflow.TF_DataTypeSize(dtype.getNumber()));
    }
}
