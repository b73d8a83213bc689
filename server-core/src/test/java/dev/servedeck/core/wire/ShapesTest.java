package dev.servedeck.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

class ShapesTest {

    private static final TensorShapeProto UNKNOWN_RANK = TensorShapeProto.newBuilder().setUnknownRank(true).build();

    @Test
    void dimsRoundTripThroughTheProto() {
        TensorShapeProto shape = Shapes.of(-1, 784);
        assertThat(shape.getDimCount()).isEqualTo(2);
        assertThat(Shapes.dims(shape)).containsExactly(-1, 784);
        assertThat(Shapes.dims(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(Shapes.of(2, 3))
                .build())).containsExactly(2, 3);
        assertThat(Shapes.dims(Shapes.of())).isEmpty();
        assertThat(Shapes.dims(UNKNOWN_RANK)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'';        []",
        "7;         [7]",
        "2,10;      [2,10]",
        "-1,28,28;  [-1,28,28]",
    })
    void printsAsTensorflowDoes(String dims, String printed) {
        long[] sizes = parse(dims);
        assertThat(Shapes.toString(sizes)).isEqualTo(printed);
        assertThat(Shapes.toString(Shapes.of(sizes))).isEqualTo(printed);
    }

    @Test
    void unknownRankPrintsAsUnknown() {
        assertThat(Shapes.toString(UNKNOWN_RANK)).isEqualTo("<unknown>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'';                   1",
        "0;                    0",
        "2,10;                 20",
        "3,0,5;                0",
        "0,4611686018427387904,4; 0",
        "4611686018427387903,2;   9223372036854775806",
    })
    void countsElementsOfFullyDefinedShapes(String dims, long count) {
        TensorShapeProto shape = Shapes.of(parse(dims));
        assertThat(Shapes.elementCount(shape)).isEqualTo(count);
        assertThat(Shapes.knownElementCount(shape)).isEqualTo(OptionalLong.of(count));
    }

    @Test
    void refusesShapesWithoutACount() {
        assertThatIllegalArgumentException().isThrownBy(() -> Shapes.elementCount(UNKNOWN_RANK))
                .withMessage("its tensor_shape has unknown rank");
        assertThatIllegalArgumentException().isThrownBy(() -> Shapes.elementCount(Shapes.of(2, -1)))
                .withMessage("its tensor_shape [2,-1] has a negative size");
        assertThatIllegalArgumentException().isThrownBy(() -> Shapes.elementCount(Shapes.of(1L << 32, 1L << 31)))
                .withMessage("its tensor_shape [4294967296,2147483648] has more than 2**63 - 1 elements");
        // As TensorFlow's TensorShape, which counts as it goes: a zero after the overflow does not save it.
        assertThatIllegalArgumentException().isThrownBy(() -> Shapes.elementCount(Shapes.of(1L << 32, 1L << 32, 0)))
                .withMessageContaining("more than 2**63 - 1 elements");

        assertThat(Shapes.knownElementCount(UNKNOWN_RANK)).isEmpty();
        assertThat(Shapes.knownElementCount(Shapes.of(2, -1))).isEmpty();
        assertThat(Shapes.knownElementCount(Shapes.of(1L << 32, 1L << 31))).isEmpty();
        assertThat(Shapes.knownElementCount(Shapes.of(Long.MAX_VALUE, 2))).isEmpty();
    }

    private static long[] parse(String dims) {
        return dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
    }
}
