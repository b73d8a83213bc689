package dev.servedeck.core.rest;

import static dev.servedeck.core.rest.TestTensors.floatFieldTensor;
import static dev.servedeck.core.rest.TestTensors.floatTensor;
import static dev.servedeck.core.rest.TestTensors.shapeOf;
import static dev.servedeck.core.rest.TestTensors.stringTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

class JsonTensorWriterTest {

    private final JsonFactory json = RestJsonFactory.create();
    private final ObjectMapper mapper = new ObjectMapper(json);
    private final JsonTensorReader reader = new JsonTensorReader(json);
    private final JsonTensorWriter writer = new JsonTensorWriter();

    private String write(PredictFormat format, Map<String, TensorProto> outputs) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            writer.write(g, format, outputs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private JsonNode tree(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rowRequestsGetPredictionsPerRow() {
        String body = write(PredictFormat.ROW, Map.of("y", floatTensor(new long[] {3}, 3f, 3.5f, 4f)));

        assertThat(body).isEqualTo("{\"predictions\":[3.0,3.5,4.0]}");
    }

    @Test
    void columnarRequestsGetOutputs() {
        assertThat(write(PredictFormat.COLUMNAR, Map.of("y", floatTensor(new long[] {3}, 3f, 3.5f, 4f))))
                .isEqualTo("{\"outputs\":[3.0,3.5,4.0]}");
        assertThat(write(PredictFormat.COLUMNAR, Map.of("y", floatTensor(new long[] {2, 1}, 1f, 2f))))
                .isEqualTo("{\"outputs\":[[1.0],[2.0]]}");
    }

    @Test
    void severalOutputsAreNamedInEachRowOrInTheOutputsObject() {
        Map<String, TensorProto> outputs = new LinkedHashMap<>();
        outputs.put("scores", floatTensor(new long[] {2, 2}, 0.25f, 0.75f, 0.5f, 0.5f));
        outputs.put("classes", stringTensor(new long[] {2}, ByteString.copyFromUtf8("cat"), ByteString.copyFromUtf8("dog")));

        assertThat(tree(write(PredictFormat.ROW, outputs))).isEqualTo(tree(
                "{\"predictions\": [{\"classes\": \"cat\", \"scores\": [0.25, 0.75]},"
                        + " {\"classes\": \"dog\", \"scores\": [0.5, 0.5]}]}"));
        assertThat(tree(write(PredictFormat.COLUMNAR, outputs))).isEqualTo(tree(
                "{\"outputs\": {\"classes\": [\"cat\", \"dog\"], \"scores\": [[0.25, 0.75], [0.5, 0.5]]}}"));
    }

    @Test
    void rowOutputsMustShareTheBatchSize() {
        Map<String, TensorProto> outputs = new LinkedHashMap<>();
        outputs.put("a", floatTensor(new long[] {2}, 1f, 2f));
        outputs.put("b", floatTensor(new long[] {3}, 1f, 2f, 3f));

        assertThatThrownBy(() -> write(PredictFormat.ROW, outputs))
                .isInstanceOf(ServingException.class)
                .hasMessage("Tensor name: b has inconsistent batch size: 3 expecting: 2");
        assertThatThrownBy(() -> write(PredictFormat.ROW, Map.of("s", floatTensor(new long[] {}, 1f))))
                .hasMessage("Tensor name: s has no shape information ");
        assertThatThrownBy(() -> write(PredictFormat.ROW, Map.of()))
                .hasMessage("Cannot convert empty tensor map to JSON");
    }

    @Test
    void floatsPrintShortestAndNonFiniteValuesBare() {
        String body = write(PredictFormat.COLUMNAR,
                Map.of("y", floatTensor(new long[] {6}, 0.1f, 3f, Float.NaN, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY, 1.0e-5f)));

        assertThat(body).isEqualTo("{\"outputs\":[0.1,3.0,NaN,Infinity,-Infinity,1.0E-5]}");
    }

    @Test
    void typedFieldsAreReadLikeTensorContentAndASingleValueFillsTheShape() {
        assertThat(write(PredictFormat.COLUMNAR, Map.of("y", floatFieldTensor(new long[] {2}, 1.5f, 2.5f))))
                .isEqualTo("{\"outputs\":[1.5,2.5]}");
        assertThat(write(PredictFormat.COLUMNAR, Map.of("y", floatFieldTensor(new long[] {2, 2}, 7f))))
                .isEqualTo("{\"outputs\":[[7.0,7.0],[7.0,7.0]]}");
        TensorProto int64 = TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(shapeOf(2))
                .addInt64Val(Long.MAX_VALUE).addInt64Val(-1).build();
        assertThat(write(PredictFormat.COLUMNAR, Map.of("n", int64))).isEqualTo("{\"outputs\":[9223372036854775807,-1]}");
        TensorProto bools = TensorProto.newBuilder().setDtype(DataType.DT_BOOL).setTensorShape(shapeOf(2))
                .addBoolVal(true).addBoolVal(false).build();
        assertThat(write(PredictFormat.COLUMNAR, Map.of("b", bools))).isEqualTo("{\"outputs\":[true,false]}");
        TensorProto halves = TensorProto.newBuilder().setDtype(DataType.DT_HALF).setTensorShape(shapeOf(2))
                .addHalfVal(0x3c00).addHalfVal(0xc000).build();
        assertThat(write(PredictFormat.COLUMNAR, Map.of("h", halves))).isEqualTo("{\"outputs\":[1.0,-2.0]}");
    }

    @Test
    void tensorsWhoseValuesDoNotFitTheirShapeAreRejected() {
        TensorProto shortContent = floatTensor(new long[] {3}, 1f, 2f);
        assertThatThrownBy(() -> write(PredictFormat.COLUMNAR, Map.of("y", shortContent)))
                .hasMessageContaining("tensor_content");
        TensorProto tooMany = floatFieldTensor(new long[] {1}, 1f, 2f);
        assertThatThrownBy(() -> write(PredictFormat.COLUMNAR, Map.of("y", tooMany)))
                .hasMessage("Tensor name: y has 2 values for a shape of 1 elements");
        TensorProto complex = TensorProto.newBuilder().setDtype(DataType.DT_COMPLEX64).setTensorShape(shapeOf(1)).build();
        assertThatThrownBy(() -> write(PredictFormat.COLUMNAR, Map.of("c", complex)))
                .hasMessage("Failed to write JSON value for tensor type: complex64");
        TensorProto quantized = TensorProto.newBuilder().setDtype(DataType.DT_QUINT8).setTensorShape(shapeOf(1))
                .setTensorContent(ByteString.copyFrom(new byte[1])).build();
        assertThatThrownBy(() -> write(PredictFormat.COLUMNAR, Map.of("q", quantized)))
                .hasMessage("Failed to write JSON value for tensor type: quint8");
        TensorProto overflowing = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(shapeOf(1L << 32, 1L << 32)).build();
        assertThatThrownBy(() -> write(PredictFormat.COLUMNAR, Map.of("y", overflowing)))
                .hasMessage("Tensor name: y is too large to write as JSON");
    }

    @Test
    void bytesOutputsAndNonUtf8StringsAreBase64() {
        ByteString binary = ByteString.copyFrom(new byte[] {(byte) 0xff, 0x00});
        Map<String, TensorProto> outputs = new LinkedHashMap<>();
        outputs.put("image_bytes", stringTensor(new long[] {1}, ByteString.copyFromUtf8("hi")));
        outputs.put("text", stringTensor(new long[] {1}, binary));
        outputs.put("word", stringTensor(new long[] {1}, ByteString.copyFromUtf8("\u00e9t\u00e9 \"q\"")));

        assertThat(tree(write(PredictFormat.ROW, outputs))).isEqualTo(tree(
                "{\"predictions\": [{\"image_bytes\": {\"b64\": \"aGk=\"}, \"text\": {\"b64\": \"/wA=\"},"
                        + " \"word\": \"\u00e9t\u00e9 \\\"q\\\"\"}]}"));
    }

    /** Every dtype: JSON in (columnar) -> TensorProto -> JSON out gives the same JSON back. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "DT_FLOAT   | [[1.5, -2.0], [0.1, 1.0E38]]",
        "DT_FLOAT   | [NaN, Infinity, -Infinity]",
        "DT_DOUBLE  | [0.1, 1.0E300, -5.0E-324, NaN]",
        "DT_HALF    | [0.5, -2.0, 1024.0, 65504.0, 6.1035156E-5]",
        "DT_BFLOAT16| [1.5, -2.0, 256.0]",
        "DT_INT8    | [-128, 0, 127]",
        "DT_UINT8   | [0, 255]",
        "DT_INT16   | [-32768, 32767]",
        "DT_UINT16  | [0, 65535]",
        "DT_INT32   | [[-2147483648], [2147483647]]",
        "DT_UINT32  | [0, 4294967295]",
        "DT_INT64   | [-9223372036854775808, 9223372036854775807]",
        "DT_UINT64  | [0, 18446744073709551615]",
        "DT_BOOL    | [[true, false], [false, true]]",
        "DT_STRING  | [\"a\", \"\u00e9\", \"\"]",
        "DT_FLOAT   | 7.0",
    })
    void everyDtypeRoundTrips(String dtype, String values) {
        String request = "{\"inputs\": " + values + "}";
        Map<String, TensorProto> inputs = reader.readInputs(reader.scan(JsonBody.of(request)),
                JsonTensorReaderTest.signature("x", DataType.valueOf(dtype)));

        String response = write(PredictFormat.COLUMNAR, inputs);

        assertThat(tree(response)).isEqualTo(tree("{\"outputs\": " + values + "}"));
    }

    @Test
    void bytesRoundTripThroughBase64() {
        String request = "{\"instances\": [{\"x_bytes\": {\"b64\": \"AAECAw==\"}}, {\"x_bytes\": {\"b64\": \"/w==\"}}]}";
        Map<String, TensorProto> inputs = reader.readInputs(reader.scan(JsonBody.of(request)),
                JsonTensorReaderTest.signature("x_bytes", DataType.DT_STRING));

        assertThat(tree(write(PredictFormat.ROW, inputs)))
                .isEqualTo(tree("{\"predictions\": [{\"b64\": \"AAECAw==\"}, {\"b64\": \"/w==\"}]}"));
    }
}
