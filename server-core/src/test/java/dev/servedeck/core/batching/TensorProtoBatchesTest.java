package dev.servedeck.core.batching;

import static dev.servedeck.core.batching.Tensors.dims;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

class TensorProtoBatchesTest {

    @Test
    void concatThenSliceGivesEveryPartBackUnchanged() {
        TensorProto a = Tensors.floats(dims(1, 2), 1, 2);
        TensorProto b = Tensors.floats(dims(2, 2), 3, 4, 5, 6);
        TensorProto c = Tensors.typedFloats(dims(1, 2), 7, 8);

        TensorProto merged = TensorProtoBatches.concat(List.of(a, b, c));

        assertThat(Shapes.dims(merged)).containsExactly(4, 2);
        assertThat(Tensors.floatValues(merged)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Tensors.floatValues(TensorProtoBatches.slice(merged, 0, 1))).containsExactly(1, 2);
        assertThat(TensorProtoBatches.slice(merged, 1, 3)).isEqualTo(b);
        assertThat(Tensors.floatValues(TensorProtoBatches.slice(merged, 3, 4))).containsExactly(7, 8);
        assertThat(Shapes.dims(TensorProtoBatches.slice(merged, 3, 4))).containsExactly(1, 2);
    }

    @Test
    void concatAndSliceStringsAndLongs() {
        TensorProto merged = TensorProtoBatches.concat(List.of(
                Tensors.strings(dims(1), "a"), Tensors.strings(dims(2), "b", "c")));
        assertThat(Tensors.stringValues(merged)).containsExactly("a", "b", "c");
        assertThat(Tensors.stringValues(TensorProtoBatches.slice(merged, 1, 3))).containsExactly("b", "c");

        TensorProto longs = TensorProtoBatches.concat(List.of(
                Tensors.longs(dims(1, 3), 1, 2, 3), Tensors.longs(dims(1, 3), 4, 5, 6)));
        assertThat(Tensors.longValues(longs)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Tensors.longValues(TensorProtoBatches.slice(longs, 1, 2))).containsExactly(4, 5, 6);
    }

    @Test
    void padRowsRepeatsTheFirstRow() {
        TensorProto padded = TensorProtoBatches.padRows(Tensors.floats(dims(2, 2), 1, 2, 3, 4), 4);
        assertThat(Shapes.dims(padded)).containsExactly(4, 2);
        assertThat(Tensors.floatValues(padded)).containsExactly(1, 2, 3, 4, 1, 2, 1, 2);

        TensorProto strings = TensorProtoBatches.padRows(Tensors.strings(dims(1, 2), "x", "y"), 3);
        assertThat(Tensors.stringValues(strings)).containsExactly("x", "y", "x", "y", "x", "y");
    }

    @Test
    void padInnerDimsFillsZerosAndEmptyStringsAroundTheData() {
        TensorProto padded = TensorProtoBatches.padInnerDims(Tensors.floats(dims(2, 2), 1, 2, 3, 4), dims(9, 3));
        assertThat(Shapes.dims(padded)).containsExactly(2, 3);
        assertThat(Tensors.floatValues(padded)).containsExactly(1, 2, 0, 3, 4, 0);

        TensorProto cube = TensorProtoBatches.padInnerDims(
                Tensors.floats(dims(1, 2, 2), 1, 2, 3, 4), dims(1, 3, 3));
        assertThat(Tensors.floatValues(cube)).containsExactly(1, 2, 0, 3, 4, 0, 0, 0, 0);

        TensorProto strings = TensorProtoBatches.padInnerDims(Tensors.strings(dims(2, 1), "a", "b"), dims(2, 2));
        assertThat(Tensors.stringValues(strings)).containsExactly("a", "", "b", "");
    }

    @Test
    void rowAddressableLayoutsOnly() {
        assertThat(TensorProtoBatches.hasRows(Tensors.floats(dims(2, 2), 1, 2, 3, 4))).isTrue();
        assertThat(TensorProtoBatches.hasRows(Tensors.typedFloats(dims(2, 2), 1, 2, 3, 4))).isTrue();
        assertThat(TensorProtoBatches.hasRows(Tensors.strings(dims(2), "a", "b"))).isTrue();
        // A broadcast single value, a scalar, a short tensor_content: not addressable by row.
        assertThat(TensorProtoBatches.hasRows(Tensors.typedFloats(dims(2, 2), 1))).isFalse();
        assertThat(TensorProtoBatches.hasRows(Tensors.typedFloats(dims(), 1))).isFalse();
        assertThat(TensorProtoBatches.hasRows(Tensors.floats(dims(2, 2), 1, 2, 3))).isFalse();
        assertThat(TensorProtoBatches.hasRows(TensorProto.newBuilder().setDtype(DataType.DT_HALF)
                .setTensorShape(Shapes.of(1)).addHalfVal(1).build())).isFalse();
    }

    /** Content rows are bytes, so any fixed-size dtype batches: quantized and complex included (see Dtypes). */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DT_QINT8", "DT_QUINT16", "DT_QINT32", "DT_COMPLEX64",
            "DT_COMPLEX128", "DT_FLOAT8_E4M3FN", "DT_INT4"})
    void fixedSizeDtypesBatchAsTensorContent(DataType dtype) {
        int size = Dtypes.bytesPerElement(dtype);
        TensorProto a = content(dtype, dims(1, 2), 2 * size, 1);
        TensorProto b = content(dtype, dims(2, 2), 4 * size, 50);
        assertThat(TensorProtoBatches.hasRows(a)).isTrue();
        assertThat(TensorProtoBatches.hasRows(content(dtype, dims(1, 2), 2 * size - 1, 1))).isFalse();

        TensorProto merged = TensorProtoBatches.concat(List.of(a, b));

        assertThat(Shapes.dims(merged)).containsExactly(3, 2);
        assertThat(TensorProtoBatches.slice(merged, 0, 1)).isEqualTo(a);
        assertThat(TensorProtoBatches.slice(merged, 1, 3)).isEqualTo(b);
    }

    private static TensorProto content(DataType dtype, long[] dims, int bytes, int firstByte) {
        byte[] content = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            content[i] = (byte) (firstByte + i);
        }
        return TensorProto.newBuilder().setDtype(dtype).setTensorShape(Shapes.of(dims))
                .setTensorContent(ByteString.copyFrom(content)).build();
    }
}
