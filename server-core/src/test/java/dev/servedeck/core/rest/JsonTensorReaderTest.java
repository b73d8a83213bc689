package dev.servedeck.core.rest;

import static dev.servedeck.core.rest.TestTensors.floats;
import static dev.servedeck.core.rest.TestTensors.longs;
import static dev.servedeck.core.rest.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;

class JsonTensorReaderTest {

    private final JsonTensorReader reader = new JsonTensorReader(RestJsonFactory.create());

    static SignatureDef signature(Object... namesAndTypes) {
        SignatureDef.Builder signature = SignatureDef.newBuilder();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            signature.putInputs((String) namesAndTypes[i],
                    TensorInfo.newBuilder().setDtype((DataType) namesAndTypes[i + 1]).build());
        }
        return signature.build();
    }

    private Map<String, TensorProto> read(String body, SignatureDef signature) {
        return reader.readInputs(reader.scan(JsonBody.of(body)), signature);
    }

    private TensorProto readOne(String body, DataType dtype) {
        return read(body, signature("x", dtype)).get("x");
    }

    private static ServingException failure(Runnable call) {
        try {
            call.run();
        } catch (ServingException e) {
            return e;
        }
        throw new AssertionError("expected a ServingException");
    }

    @Test
    void largeTensorsOfEveryWidthKeepEveryValue() {
        int n = 3 * 784;
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < n; i++) {
            values.append(i == 0 ? "" : ",").append(i % 100);
        }
        String body = "{\"instances\": [[" + values + "]]}";
        for (DataType dtype : new DataType[] {DataType.DT_FLOAT, DataType.DT_DOUBLE, DataType.DT_INT64,
            DataType.DT_INT32, DataType.DT_UINT8}) {
            TensorProto x = readOne(body, dtype);
            assertThat(shape(x)).as(dtype.name()).containsExactly(1, n);
            int width = x.getTensorContent().size() / n;
            assertThat(x.getTensorContent().size()).as(dtype.name()).isEqualTo(width * n);
            ByteBuffer bytes = x.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            double last = switch (dtype) {
                case DT_FLOAT -> bytes.getFloat((n - 1) * 4);
                case DT_DOUBLE -> bytes.getDouble((n - 1) * 8);
                case DT_INT64 -> bytes.getLong((n - 1) * 8);
                case DT_INT32 -> bytes.getInt((n - 1) * 4);
                default -> bytes.get(n - 1);
            };
            assertThat(last).as(dtype.name()).isEqualTo((n - 1) % 100);
        }
    }

    @Test
    void rowFormatWithOneInputTakesPlainValuesAsRows() {
        TensorProto x = readOne("{\"instances\": [2.0, 3.0, 4.0]}", DataType.DT_FLOAT);

        assertThat(x.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(shape(x)).containsExactly(3);
        assertThat(floats(x)).containsExactly(2f, 3f, 4f);
    }

    @Test
    void rowFormatStacksNestedInstances() {
        TensorProto x = readOne("{\"instances\": [[1, 2], [3, 4], [5, 6]]}", DataType.DT_FLOAT);

        assertThat(shape(x)).containsExactly(3, 2);
        assertThat(floats(x)).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    }

    @Test
    void numericTensorsArePackedLittleEndianInTensorContent() {
        TensorProto x = readOne("{\"inputs\": [1.5, -2]}", DataType.DT_FLOAT);

        assertThat(x.getFloatValCount()).isZero();
        ByteBuffer expected = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        assertThat(x.getTensorContent().toByteArray()).isEqualTo(expected.array());
    }

    @Test
    void rowFormatWithObjectsFillsEveryNamedInput() {
        Map<String, TensorProto> inputs = read(
                "{\"instances\": [{\"a\": [1, 2], \"b\": \"x\"}, {\"b\": \"y\", \"a\": [3, 4]}]}",
                signature("a", DataType.DT_INT64, "b", DataType.DT_STRING));

        assertThat(shape(inputs.get("a"))).containsExactly(2, 2);
        assertThat(longs(inputs.get("a"))).containsExactly(1, 2, 3, 4);
        assertThat(shape(inputs.get("b"))).containsExactly(2);
        assertThat(inputs.get("b").getStringValList()).containsExactly(ByteString.copyFromUtf8("x"), ByteString.copyFromUtf8("y"));
    }

    @Test
    void rowFormatWithOneInputAcceptsObjectsNamingIt() {
        TensorProto x = readOne("{\"instances\": [{\"x\": [1.0]}, {\"x\": [2.0]}]}", DataType.DT_FLOAT);

        assertThat(shape(x)).containsExactly(2, 1);
        assertThat(floats(x)).containsExactly(1f, 2f);
    }

    @Test
    void columnarFormatTakesShapesAsTheyAre() {
        assertThat(shape(readOne("{\"inputs\": [[1, 2, 3], [4, 5, 6]]}", DataType.DT_FLOAT))).containsExactly(2, 3);
        TensorProto scalar = readOne("{\"inputs\": 5}", DataType.DT_FLOAT);
        assertThat(shape(scalar)).isEmpty();
        assertThat(floats(scalar)).containsExactly(5f);
        assertThat(shape(readOne("{\"inputs\": []}", DataType.DT_FLOAT))).containsExactly(0);
        assertThat(shape(readOne("{\"inputs\": [[], []]}", DataType.DT_FLOAT))).containsExactly(2, 0);
    }

    @Test
    void columnarFormatWithSeveralInputsNeedsAnObjectNamingEach() {
        SignatureDef signature = signature("a", DataType.DT_INT32, "b", DataType.DT_BOOL);

        Map<String, TensorProto> inputs = read("{\"inputs\": {\"a\": [[1], [2]], \"b\": true, \"ignored\": 1}}", signature);
        assertThat(shape(inputs.get("a"))).containsExactly(2, 1);
        assertThat(shape(inputs.get("b"))).isEmpty();
        assertThat(inputs.get("b").getTensorContent().byteAt(0)).isEqualTo((byte) 1);

        assertThat(failure(() -> read("{\"inputs\": {\"a\": [1]}}", signature)).getMessage())
                .isEqualTo("Missing named input: b in 'inputs' object.");
        assertThat(failure(() -> read("{\"inputs\": [1, 2]}", signature)).getMessage())
                .startsWith("inputs is a plain value/list, but expecting an object");
    }

    @Test
    void signatureNameMayComeAfterTheTensors() {
        PredictRequestJson request = reader.scan(JsonBody.of("{\"instances\": [1], \"signature_name\": \"sig\", \"x\": {}}"));

        assertThat(request.signatureName()).isEqualTo("sig");
        assertThat(request.format()).isEqualTo(PredictFormat.ROW);
        assertThat(reader.scan(JsonBody.of("{\"inputs\": [1]}")).format()).isEqualTo(PredictFormat.COLUMNAR);
    }

    @Test
    void requestLayoutErrorsAreClear() {
        SignatureDef x = signature("x", DataType.DT_FLOAT);
        assertThat(failure(() -> read("{\"instances\": [1], \"inputs\": [1]}", x)).getMessage())
                .contains("expecting only one of 'inputs' or 'instances'");
        assertThat(failure(() -> read("{\"signature_name\": \"\"}", x)).getMessage())
                .isEqualTo("Missing 'inputs' or 'instances' key");
        assertThat(failure(() -> read("{\"instances\": []}", x)).getMessage()).isEqualTo("No values in 'instances' array");
        assertThat(failure(() -> read("{\"instances\": 5}", x)).getMessage())
                .isEqualTo("Expecting 'instances' to be an list/array");
        assertThat(failure(() -> read("{\"instances\": [1]}", SignatureDef.getDefaultInstance())).getMessage())
                .isEqualTo("Failed to get input map for signature: DEFAULT");
        assertThat(failure(() -> read("{\"instances\": [1, 2]}", signature("a", DataType.DT_FLOAT, "b", DataType.DT_FLOAT)))
                .getMessage()).startsWith("instances is a plain list, but expecting list of objects");
    }

    @Test
    void malformedJsonIsAParseError() {
        ServingException broken = failure(() -> reader.scan(JsonBody.of("{\"instances\": [1, 2")));
        assertThat(broken.code()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(broken.getMessage()).startsWith("JSON Parse error: ");

        assertThat(failure(() -> reader.scan(JsonBody.of(""))).getMessage()).isEqualTo("JSON Parse error: The document is empty");
        assertThat(failure(() -> reader.scan(JsonBody.of("[1]"))).getMessage()).isEqualTo("JSON Value: [1] Is not object");
        assertThat(failure(() -> reader.scan(JsonBody.of("{\"instances\": [1]} x"))).getMessage()).startsWith("JSON Parse error");
        assertThat(failure(() -> reader.scan(JsonBody.of("{\"signature_name\": 1, \"instances\": [1]}"))).getMessage())
                .contains("'signature_name' key must be a string value");
    }

    @Test
    void raggedListsAreRejected() {
        assertThat(failure(() -> readOne("{\"inputs\": [[1, 2], [3]]}", DataType.DT_FLOAT)).getMessage())
                .contains("Encountered list at unexpected size: 1 at level: 1 expected size: 2");
        assertThat(failure(() -> readOne("{\"inputs\": [1, [2]]}", DataType.DT_FLOAT)).getMessage())
                .contains("Encountered list at unexpected level");
        assertThat(failure(() -> readOne("{\"inputs\": [[1], 2]}", DataType.DT_FLOAT)).getMessage())
                .contains("JSON Value: 2 found at incorrect level");
        assertThat(failure(() -> readOne("{\"instances\": [[1, 2], [3]]}", DataType.DT_FLOAT)).getMessage())
                .startsWith("Failed to process element: 1 key: x of 'instances' list. Error: Encountered list at unexpected size");
        assertThat(failure(() -> readOne("{\"instances\": [1, [2]]}", DataType.DT_FLOAT)).getMessage())
                .startsWith("Failed to process element: 1 key: x");
    }

    @Test
    void valuesOfTheWrongTypeNameTheInput() {
        ServingException fraction = failure(() -> readOne("{\"instances\": [1, 1.5]}", DataType.DT_INT32));
        assertThat(fraction.code()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(fraction.getMessage()).isEqualTo("Failed to process element: 1 key: x of 'instances' list. "
                + "Error: JSON Value: 1.5 Type: Number is not of expected type: int32");

        assertThat(failure(() -> readOne("{\"inputs\": [300]}", DataType.DT_UINT8)).getMessage())
                .isEqualTo("Failed to process input: x of 'inputs'. Error: JSON Value: 300 is out of range for type: uint8");
        assertThat(failure(() -> readOne("{\"inputs\": [-1]}", DataType.DT_UINT8)).getMessage()).contains("out of range");
        assertThat(failure(() -> readOne("{\"inputs\": [-129]}", DataType.DT_INT8)).getMessage()).contains("out of range");
        assertThat(failure(() -> readOne("{\"inputs\": [2147483648]}", DataType.DT_INT32)).getMessage()).contains("out of range");
        assertThat(failure(() -> readOne("{\"inputs\": [\"a\"]}", DataType.DT_FLOAT)).getMessage())
                .contains("JSON Value: \"a\" Type: String is not of expected type: float");
        assertThat(failure(() -> readOne("{\"inputs\": [1]}", DataType.DT_BOOL)).getMessage())
                .contains("is not of expected type: bool");
        assertThat(failure(() -> readOne("{\"inputs\": [1]}", DataType.DT_STRING)).getMessage())
                .contains("is not of expected type: string");
        assertThat(failure(() -> readOne("{\"inputs\": [null]}", DataType.DT_FLOAT)).getMessage()).contains("Type: Null");
        assertThat(failure(() -> readOne("{\"inputs\": [{\"a\": 1}]}", DataType.DT_FLOAT)).getMessage())
                .contains("JSON Value: {\"a\":1} Type: Object is not of expected type: float");
        assertThat(failure(() -> readOne("{\"inputs\": [1e39]}", DataType.DT_FLOAT)).getMessage())
                .contains("Cannot convert JSON value: 1e39 to float without loss of precision.");
        ServingException unsupported = failure(() -> readOne("{\"inputs\": [1]}", DataType.DT_COMPLEX64));
        assertThat(unsupported.code()).isEqualTo(Code.UNIMPLEMENTED);
        assertThat(unsupported.getMessage()).contains("Conversion of JSON Value: 1 to type: complex64");
    }

    @Test
    void floatingPointInputsAcceptNanAndInfinities() {
        TensorProto x = readOne("{\"inputs\": [NaN, Infinity, -Infinity, 1]}", DataType.DT_FLOAT);
        assertThat(floats(x)).containsExactly(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f);

        TensorProto d = readOne("{\"inputs\": [NaN, -Infinity, 0.1]}", DataType.DT_DOUBLE);
        ByteBuffer content = d.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(content.getDouble(0)).isNaN();
        assertThat(content.getDouble(8)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(content.getDouble(16)).isEqualTo(0.1);
    }

    @Test
    void base64ObjectsAreBinaryStrings() {
        TensorProto plain = readOne("{\"instances\": [{\"b64\": \"aGVsbG8=\"}, {\"b64\": \"AP8=\"}]}", DataType.DT_STRING);
        assertThat(shape(plain)).containsExactly(2);
        assertThat(plain.getStringVal(0).toStringUtf8()).isEqualTo("hello");
        assertThat(plain.getStringVal(1).toByteArray()).containsExactly(0x00, 0xff);

        TensorProto nested = readOne("{\"inputs\": [[{\"b64\": \"YQ==\"}, \"b\"]]}", DataType.DT_STRING);
        assertThat(shape(nested)).containsExactly(1, 2);
        assertThat(nested.getStringValList()).containsExactly(ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("b"));

        TensorProto scalar = readOne("{\"inputs\": {\"b64\": \"YQ==\"}}", DataType.DT_STRING);
        assertThat(shape(scalar)).isEmpty();
        assertThat(scalar.getStringVal(0).toStringUtf8()).isEqualTo("a");

        assertThat(failure(() -> readOne("{\"inputs\": [{\"b64\": \"@@@\"}]}", DataType.DT_STRING)).getMessage())
                .contains("Unable to base64 decode");
        assertThat(failure(() -> readOne("{\"inputs\": [{\"b64\": 1}]}", DataType.DT_STRING)).getMessage())
                .contains("JSON Value: {\"b64\":1} not formatted correctly for base64 data");
        assertThat(failure(() -> readOne("{\"instances\": [{\"b64\": \"YQ==\"}, {\"x\": \"a\"}]}", DataType.DT_STRING))
                .getMessage()).isEqualTo("Expecting value/list but got object at item 1 of input list");
    }

    @Test
    void anInputNamedB64IsStillAnInputWhenTheObjectHasMoreKeys() {
        Map<String, TensorProto> inputs = read("{\"instances\": [{\"b64\": \"raw\", \"c\": 1}, {\"c\": 2, \"b64\": \"two\"}]}",
                signature("b64", DataType.DT_STRING, "c", DataType.DT_INT64));

        assertThat(inputs.get("b64").getStringValList())
                .containsExactly(ByteString.copyFromUtf8("raw"), ByteString.copyFromUtf8("two"));
        assertThat(longs(inputs.get("c"))).containsExactly(1, 2);
    }

    @Test
    void objectInstancesMustNameEveryInputExactlyOnce() {
        SignatureDef signature = signature("a", DataType.DT_FLOAT, "b", DataType.DT_FLOAT);
        assertThat(failure(() -> read("{\"instances\": [{\"a\": 1, \"b\": 2}, {\"a\": 1}]}", signature)).getMessage())
                .isEqualTo("Failed to process element: 1 of 'instances' list. JSON object: {\"a\":1} keys must be equal to: a,b");
        assertThat(failure(() -> read("{\"instances\": [{\"a\": 1, \"c\": 2}]}", signature)).getMessage())
                .isEqualTo("Failed to process element: 0 key: c of 'instances' list. Error: JSON object: does not have named input: c");
        assertThat(failure(() -> read("{\"instances\": [{\"a\": 1, \"b\": 2}, [1]]}", signature)).getMessage())
                .isEqualTo("Expecting object but got list at item 1 of input list");
        assertThat(failure(() -> read("{\"instances\": [{\"a\": 1, \"b\": 2}, {\"a\": [1], \"b\": 2}]}", signature))
                .getMessage()).startsWith("Failed to process element: 1 key: a of 'instances' list. Error: Encountered list");
    }

    @Test
    void utf8StringsKeepTheirBytes() {
        TensorProto x = readOne("{\"inputs\": [\"h\\u00e9llo\", \"\u65e5\u672c\"]}", DataType.DT_STRING);

        assertThat(x.getStringVal(0).toByteArray()).isEqualTo("h\u00e9llo".getBytes(StandardCharsets.UTF_8));
        assertThat(x.getStringVal(1).toStringUtf8()).isEqualTo("\u65e5\u672c");
    }
}
