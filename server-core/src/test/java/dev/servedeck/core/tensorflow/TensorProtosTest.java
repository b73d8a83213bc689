package dev.servedeck.core.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Tensor;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** TensorProto <-> TF tensor for every dtype, through both tensor_content and the typed fields. */
class TensorProtosTest {

    /** Three sample values of a dtype: how to put value i into the typed field, and its little-endian bytes. */
    record Case(DataType dtype, int size, BiConsumer<TensorProto.Builder, Integer> typed,
            BiConsumer<ByteBuffer, Integer> raw) {
        @Override
        public String toString() {
            return dtype.name();
        }
    }

    static final float[] FLOATS = {1.5f, -2.25f, 3e38f};
    static final double[] DOUBLES = {1.5, -2.25, 1e300};
    static final int[] INTS = {1, -2, Integer.MAX_VALUE};
    static final long[] LONGS = {1, -2, Long.MAX_VALUE};
    static final int[] UINT8S = {0, 200, 255};
    static final int[] UINT16S = {0, 40000, 65535};
    static final boolean[] BOOLS = {true, false, true};
    static final int[] HALVES = {0x3C00, 0xC000, 0x7BFF};
    static final int[] BFLOATS = {0x3F80, 0xC000, 0x7F7F};

    static Stream<Case> supported() {
        return Stream.of(
                new Case(DataType.DT_FLOAT, 4, (p, i) -> p.addFloatVal(FLOATS[i]), (b, i) -> b.putFloat(FLOATS[i])),
                new Case(DataType.DT_DOUBLE, 8, (p, i) -> p.addDoubleVal(DOUBLES[i]), (b, i) -> b.putDouble(DOUBLES[i])),
                new Case(DataType.DT_INT32, 4, (p, i) -> p.addIntVal(INTS[i]), (b, i) -> b.putInt(INTS[i])),
                new Case(DataType.DT_INT64, 8, (p, i) -> p.addInt64Val(LONGS[i]), (b, i) -> b.putLong(LONGS[i])),
                new Case(DataType.DT_UINT8, 1, (p, i) -> p.addIntVal(UINT8S[i]), (b, i) -> b.put((byte) UINT8S[i])),
                new Case(DataType.DT_UINT16, 2, (p, i) -> p.addIntVal(UINT16S[i]), (b, i) -> b.putShort((short) UINT16S[i])),
                new Case(DataType.DT_BOOL, 1, (p, i) -> p.addBoolVal(BOOLS[i]), (b, i) -> b.put((byte) (BOOLS[i] ? 1 : 0))),
                new Case(DataType.DT_HALF, 2, (p, i) -> p.addHalfVal(HALVES[i]), (b, i) -> b.putShort((short) HALVES[i])),
                new Case(DataType.DT_BFLOAT16, 2, (p, i) -> p.addHalfVal(BFLOATS[i]), (b, i) -> b.putShort((short) BFLOATS[i])));
    }

    private static TensorProto.Builder proto(DataType dtype, long... dims) {
        return TensorProto.newBuilder().setDtype(dtype).setTensorShape(Shapes.of(dims));
    }

    private static ByteString raw(Case c, int... indices) {
        ByteBuffer buffer = ByteBuffer.allocate(c.size() * indices.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : indices) {
            c.raw().accept(buffer, i);
        }
        return ByteString.copyFrom(buffer.array());
    }

    private static TensorProto roundTrip(TensorProto proto) {
        try (Tensor tensor = TensorProtos.toTensor(proto)) {
            return TensorProtos.toProto(tensor);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void typedFieldsAndTensorContentGiveTheSameTensor(Case c) {
        TensorProto.Builder typed = proto(c.dtype(), 3);
        for (int i = 0; i < 3; i++) {
            c.typed().accept(typed, i);
        }
        TensorProto content = proto(c.dtype(), 3).setTensorContent(raw(c, 0, 1, 2)).build();

        assertThat(roundTrip(typed.build())).isEqualTo(content);
        assertThat(roundTrip(content)).isEqualTo(content);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void aSingleTypedValueFillsEveryElementAndNoValueGivesZeros(Case c) {
        TensorProto.Builder single = proto(c.dtype(), 2, 2);
        c.typed().accept(single, 2);

        assertThat(roundTrip(single.build())).isEqualTo(proto(c.dtype(), 2, 2).setTensorContent(raw(c, 2, 2, 2, 2)).build());
        assertThat(roundTrip(proto(c.dtype(), 3).build()).getTensorContent())
                .isEqualTo(ByteString.copyFrom(new byte[3 * c.size()]));
    }

    @Test
    void scalarsKeepAnEmptyShape() {
        TensorProto scalar = proto(DataType.DT_FLOAT).addFloatVal(7f).build();

        TensorProto back = roundTrip(scalar);

        assertThat(back.getTensorShape().getDimCount()).isZero();
        assertThat(TestTensors.floatValues(back)).containsExactly(7f);
    }

    @Test
    void stringsCarryArbitraryBytesThroughStringValAndTensorContent() throws IOException {
        List<ByteString> strings = List.of(ByteString.copyFrom(new byte[] {0, (byte) 0xff, (byte) 0xfe, '\n'}),
                ByteString.EMPTY, ByteString.copyFromUtf8("h\u00e9llo \uD83D\uDE00"));
        TensorProto typed = proto(DataType.DT_STRING, 3).addAllStringVal(strings).build();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(encoded);
        for (ByteString s : strings) {
            out.writeUInt32NoTag(s.size());
        }
        for (ByteString s : strings) {
            out.writeRawBytes(s);
        }
        out.flush();
        TensorProto content = proto(DataType.DT_STRING, 3).setTensorContent(ByteString.copyFrom(encoded.toByteArray())).build();

        assertThat(roundTrip(typed)).isEqualTo(typed);
        assertThat(roundTrip(content)).isEqualTo(typed);
        assertThat(roundTrip(proto(DataType.DT_STRING, 2, 2).addStringVal(strings.get(0)).build()).getStringValList())
                .containsExactly(strings.get(0), strings.get(0), strings.get(0), strings.get(0));
        assertThat(roundTrip(proto(DataType.DT_STRING, 2).build()).getStringValList())
                .containsExactly(ByteString.EMPTY, ByteString.EMPTY);
    }

    @Test
    void largeFloatTensorsConvertInBulk() {
        int n = 1 << 20;
        TensorProto.Builder typed = proto(DataType.DT_FLOAT, n / 1024, 1024);
        for (int i = 0; i < n; i++) {
            typed.addFloatVal(i);
        }

        TensorProto content = roundTrip(typed.build());
        float[] values = TestTensors.floatValues(roundTrip(content));

        assertThat(values).hasSize(n);
        assertThat(values[0]).isEqualTo(0f);
        assertThat(values[n - 1]).isEqualTo(n - 1);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DT_INT8", "DT_INT16", "DT_UINT32", "DT_UINT64"})
    void dtypesWithoutATfJavaTypeAreCheckedButNotConverted(DataType dtype) {
        TensorProto.Builder typed = proto(dtype, 2);
        switch (dtype) {
            case DT_UINT32 -> typed.addUint32Val(1).addUint32Val(2);
            case DT_UINT64 -> typed.addUint64Val(1).addUint64Val(2);
            default -> typed.addIntVal(1).addIntVal(2);
        }

        assertThat(TensorProtos.checkContent(typed.build())).isEqualTo(2);
        assertThat(TensorProtos.checkContent(proto(dtype, 2).setTensorContent(
                ByteString.copyFrom(new byte[2 * Dtypes.bytesPerElement(dtype)])).build())).isEqualTo(2);
        assertThatThrownBy(() -> TensorProtos.toTensor(typed.build()))
                .isInstanceOf(UnsupportedDtypeException.class)
                .hasMessageContaining(dtype.name());
    }

    @Test
    void malformedProtosAreRejectedWithTheReason() {
        assertThatThrownBy(() -> TensorProtos.checkContent(proto(DataType.DT_FLOAT, 3).addFloatVal(1).addFloatVal(2).build()))
                .hasMessage("it has 2 float_val values but shape [3] has 3 elements (send 3, or 1 to fill every element)");
        assertThatThrownBy(() -> TensorProtos.checkContent(proto(DataType.DT_INT64, 2).addInt64Val(1).addInt64Val(2)
                .addInt64Val(3).build()))
                .hasMessageContaining("3 int64_val values");
        assertThatThrownBy(() -> TensorProtos.checkContent(proto(DataType.DT_DOUBLE, 2)
                .setTensorContent(ByteString.copyFrom(new byte[15])).build()))
                .hasMessage("its tensor_content has 15 bytes but shape [2] of DT_DOUBLE needs 16");
        assertThatThrownBy(() -> TensorProtos.checkContent(TensorProto.newBuilder().addFloatVal(1).build()))
                .hasMessage("its dtype is not set");
        assertThatThrownBy(() -> TensorProtos.checkContent(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build()))
                .hasMessage("its tensor_shape has unknown rank");
        assertThatThrownBy(() -> TensorProtos.checkContent(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(Shapes.of(1L << 32, 1L << 32)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("its tensor_shape [4294967296,4294967296] has more than 2**63 - 1 elements");
        // Quantized dtypes have a size on the wire, but this server converts no tensor of them.
        assertThatThrownBy(() -> TensorProtos.checkContent(proto(DataType.DT_QINT8, 2)
                .setTensorContent(ByteString.copyFrom(new byte[2])).build()))
                .hasMessage("dtype DT_QINT8 is not supported");
        assertThatThrownBy(() -> TensorProtos.checkContent(proto(DataType.DT_STRING, 2)
                .setTensorContent(ByteString.copyFrom(new byte[] {5, 1, 'a'})).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("string tensor_content");
    }
}
