package dev.servedeck.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

class TensorBytesTest {

    private static TensorProto.Builder tensor(DataType dtype, long... dims) {
        return TensorProto.newBuilder().setDtype(dtype).setTensorShape(Shapes.of(dims));
    }

    @Test
    void aSingleValueBroadcastToAHugeShapeCountsTheWholeShape() {
        // The 42-byte Predict of issue 16: one float_val, shape [500000000].
        TensorProto broadcast = tensor(DataType.DT_FLOAT, 500_000_000).addFloatVal(1f).build();
        assertThat(TensorBytes.declared(broadcast)).hasValue(2_000_000_000L);
        assertThat(tensor(DataType.DT_DOUBLE, 3, 4).build()).satisfies(
                empty -> assertThat(TensorBytes.declared(empty)).hasValue(96));
        assertThat(TensorBytes.declared(tensor(DataType.DT_BOOL).addBoolVal(true).build())).hasValue(1);
    }

    @Test
    void stringsCountTheirBytesAndTensorflowsPerElementHeader() {
        int header = TensorBytes.STRING_ELEMENT_BYTES;
        TensorProto two = tensor(DataType.DT_STRING, 2).addStringVal(ByteString.copyFromUtf8("abc"))
                .addStringVal(ByteString.copyFromUtf8("de")).build();
        assertThat(TensorBytes.declared(two)).hasValue(2L * header + 5);
        // A single empty string broadcast still asks for a header per element.
        TensorProto emptyBroadcast = tensor(DataType.DT_STRING, 1_000_000).addStringVal(ByteString.EMPTY).build();
        assertThat(TensorBytes.declared(emptyBroadcast)).hasValue(1_000_000L * header);
        TensorProto broadcast = tensor(DataType.DT_STRING, 1000).addStringVal(ByteString.copyFrom(new byte[100])).build();
        assertThat(TensorBytes.declared(broadcast)).hasValue(1000L * (header + 100));
        // tensor_content holds the varint lengths and the bytes: its size bounds the strings'.
        TensorProto content = tensor(DataType.DT_STRING, 10_000_000).setTensorContent(ByteString.copyFrom(new byte[3]))
                .build();
        assertThat(TensorBytes.declared(content)).hasValue(10_000_000L * header + 3);
    }

    @Test
    void productsSaturateInsteadOfOverflowing() {
        TensorProto huge = tensor(DataType.DT_INT64, 1L << 40, 1L << 40).addInt64Val(1).build();
        assertThat(TensorBytes.declared(huge)).hasValue(Long.MAX_VALUE);
        TensorProto justOver = tensor(DataType.DT_COMPLEX128, Long.MAX_VALUE / 16 + 1).build();
        assertThat(TensorBytes.declared(justOver)).hasValue(Long.MAX_VALUE);
        assertThat(TensorBytes.times(0, Long.MAX_VALUE)).isZero();
        assertThat(TensorBytes.plus(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shapesWithoutASizeDeclareNothing() {
        assertThat(TensorBytes.declared(tensor(DataType.DT_FLOAT, 2, -1).build())).isEmpty();
        assertThat(TensorBytes.declared(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build())).isEmpty();
        assertThat(TensorBytes.declared(tensor(DataType.DT_FLOAT, 0, 1L << 62).build())).hasValue(0);
    }
}
