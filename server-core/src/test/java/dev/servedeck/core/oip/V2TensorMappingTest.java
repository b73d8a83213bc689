package dev.servedeck.core.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/** The protocol's datatypes and tensors against TensorFlow's: values in, raw bytes, outputs back. */
class V2TensorMappingTest {

    @ParameterizedTest
    @CsvSource({
        "BOOL, DT_BOOL, 1", "UINT8, DT_UINT8, 1", "UINT16, DT_UINT16, 2", "UINT32, DT_UINT32, 4",
        "UINT64, DT_UINT64, 8", "INT8, DT_INT8, 1", "INT16, DT_INT16, 2", "INT32, DT_INT32, 4", "INT64, DT_INT64, 8",
        "FP16, DT_HALF, 2", "BF16, DT_BFLOAT16, 2", "FP32, DT_FLOAT, 4", "FP64, DT_DOUBLE, 8", "BYTES, DT_STRING, 0"})
    void everyDatatypeIsOneTensorflowDtype(String name, DataType dtype, int bytes) {
        InferDatatype datatype = InferDatatype.parse(name, "t");
        assertThat(datatype.dtype()).isEqualTo(dtype);
        assertThat(datatype.elementBytes()).isEqualTo(bytes);
        assertThat(InferDatatype.of(dtype)).contains(datatype);
    }

    @Test
    void referenceDtypesAreTheirBaseAndOthersAreNamedAsTensorflowNamesThem() {
        assertThat(InferDatatype.describe(DataType.DT_FLOAT_REF)).isEqualTo("FP32");
        assertThat(InferDatatype.describe(DataType.DT_RESOURCE)).isEqualTo("RESOURCE");
        assertThat(InferDatatype.of(DataType.DT_COMPLEX64)).isEmpty();
    }

    @Test
    void unknownDatatypeNamesAreRefused() {
        assertThatThrownBy(() -> InferDatatype.parse("fp32", "x"))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("Input 'x' has an unknown datatype 'fp32'");
                });
    }

    @Test
    void integersArePackedLittleEndianAndRangeChecked() {
        InputTensorBuilder builder = new InputTensorBuilder("x", InferDatatype.INT16, new long[] {2});
        builder.addInteger(-2);
        builder.addInteger(300);
        TensorProto tensor = builder.build().tensor();
        assertThat(tensor.getDtype()).isEqualTo(DataType.DT_INT16);
        assertThat(tensor.getTensorContent().toByteArray()).containsExactly(0xFE, 0xFF, 0x2C, 0x01);

        InputTensorBuilder uint8 = new InputTensorBuilder("u", InferDatatype.UINT8, new long[] {1});
        assertThatThrownBy(() -> uint8.addInteger(256)).hasMessageContaining("256 is out of its range [0, 255]");
        InputTensorBuilder unsigned = new InputTensorBuilder("u", InferDatatype.UINT64, new long[] {1});
        unsigned.addUnsigned64(-1L);
        assertThat(unsigned.build().tensor().getTensorContent())
                .isEqualTo(ByteString.copyFrom(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
    }

    @Test
    void valuesMustFillTheShapeExactly() {
        InputTensorBuilder few = new InputTensorBuilder("x", InferDatatype.FP32, new long[] {2, 2});
        few.addFloating(1.0);
        assertThatThrownBy(few::build).hasMessage("Input 'x' has 1 values, but its shape [2,2] holds 4");
        InputTensorBuilder many = new InputTensorBuilder("x", InferDatatype.BOOL, new long[] {1});
        many.addBool(true);
        assertThatThrownBy(() -> many.addBool(false)).hasMessageContaining("more values than its shape [1] holds");
        assertThatThrownBy(() -> new InputTensorBuilder("x", InferDatatype.FP32, new long[] {-1}))
                .hasMessageContaining("every dimension must be 0 or more");
    }

    @Test
    void aHugeShapeAllocatesNothingUntilValuesArrive() {
        // 2^40 floats declared: the builder must not size a buffer from the shape.
        InputTensorBuilder huge = new InputTensorBuilder("x", InferDatatype.FP32, new long[] {1L << 40});
        huge.addFloating(1.0);
        assertThatThrownBy(huge::build).hasMessageContaining("has 1 values");
    }

    @Test
    void rawContentsMustMatchShapeAndDatatype() {
        ByteString raw = ByteString.copyFrom(new byte[8]);
        InferInput input = InputTensorBuilder.fromRaw("x", InferDatatype.FP32, new long[] {2}, raw);
        assertThat(input.tensor().getTensorContent()).isSameAs(raw);
        assertThatThrownBy(() -> InputTensorBuilder.fromRaw("x", InferDatatype.FP64, new long[] {2}, raw))
                .hasMessageContaining("8 bytes of raw contents, but its shape [2] and datatype FP64 need 16");
    }

    @Test
    void rawBytesAreLengthPrefixedElements() {
        ByteString raw = RawStrings.join(List.of(ByteString.copyFromUtf8("ab"), ByteString.EMPTY,
                ByteString.copyFromUtf8("c")));
        assertThat(raw.size()).isEqualTo(4 + 2 + 4 + 4 + 1);
        InferInput input = InputTensorBuilder.fromRaw("s", InferDatatype.BYTES, new long[] {3}, raw);
        assertThat(input.tensor().getStringValList()).extracting(ByteString::toStringUtf8).containsExactly("ab", "", "c");
        assertThatThrownBy(() -> InputTensorBuilder.fromRaw("s", InferDatatype.BYTES, new long[] {1},
                raw.substring(0, 5))).hasMessageContaining("the last one is cut short");
    }

    @Test
    void outputsInTypedFieldsArePackedAndBroadcast() {
        TensorProto typed = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                .setTensorShape(org.tensorflow.proto.TensorShapeProto.newBuilder()
                        .addDim(org.tensorflow.proto.TensorShapeProto.Dim.newBuilder().setSize(3)))
                .addIntVal(7).build();
        InferOutput output = OutputTensors.toOutput("y", typed);
        assertThat(output.datatype()).isEqualTo(InferDatatype.INT32);
        ByteBuffer values = output.raw().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new int[] {values.getInt(), values.getInt(), values.getInt()}).containsExactly(7, 7, 7);
    }

    @Test
    void outputsWithoutAProtocolDatatypeAreUnimplemented() {
        TensorProto complex = TensorProto.newBuilder().setDtype(DataType.DT_COMPLEX64).build();
        assertThatThrownBy(() -> OutputTensors.toOutput("c", complex))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
    }
}
