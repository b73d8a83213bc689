package dev.servedeck.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The tests' own, independent translation between JSON values (nested arrays, as TF Serving's REST API writes
 * tensors) and {@link TensorProto}s, so gRPC answers can be compared with REST answers without going through
 * the server's JSON code.
 */
public final class JsonTensors {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonTensors() {
    }

    /** A tensor of {@code dtype} from a JSON value: its nesting is the shape (a bare value is a scalar). */
    public static TensorProto toProto(JsonNode value, DataType dtype) {
        List<Long> dims = new ArrayList<>();
        for (JsonNode node = value; node.isArray(); node = node.get(0)) {
            dims.add((long) node.size());
            if (node.isEmpty()) {
                break;
            }
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        dims.forEach(dim -> shape.addDimBuilder().setSize(dim));
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape);
        List<JsonNode> leaves = new ArrayList<>();
        flatten(value, leaves);
        for (JsonNode leaf : leaves) {
            switch (dtype) {
                case DT_FLOAT -> tensor.addFloatVal((float) leaf.asDouble());
                case DT_DOUBLE -> tensor.addDoubleVal(leaf.asDouble());
                case DT_INT32 -> tensor.addIntVal(leaf.asInt());
                case DT_INT64 -> tensor.addInt64Val(leaf.asLong());
                case DT_BOOL -> tensor.addBoolVal(leaf.asBoolean());
                case DT_STRING -> tensor.addStringVal(ByteString.copyFromUtf8(leaf.asText()));
                default -> throw new IllegalArgumentException("no test conversion for " + dtype);
            }
        }
        return tensor.build();
    }

    /** A tensor as a JSON value: nested arrays of its shape (a scalar is a bare value). */
    public static JsonNode toJson(TensorProto tensor) {
        List<JsonNode> values = values(tensor);
        long[] dims = Shapes.dims(tensor);
        Iterator<JsonNode> next = values.iterator();
        return nest(dims, 0, next);
    }

    /** Same structure, same strings and booleans, numbers equal within a float's precision. */
    public static void assertClose(JsonNode actual, JsonNode expected) {
        String where = "expected " + expected + " but got " + actual;
        if (expected.isNumber()) {
            assertThat(actual.isNumber()).as(where).isTrue();
            assertThat(actual.asDouble()).as(where).isCloseTo(expected.asDouble(),
                    within(1e-5 * Math.max(1, Math.abs(expected.asDouble()))));
        } else if (expected.isArray()) {
            assertThat(actual.isArray()).as(where).isTrue();
            assertThat(actual.size()).as(where).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertClose(actual.get(i), expected.get(i));
            }
        } else if (expected.isObject()) {
            assertThat(actual.isObject()).as(where).isTrue();
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            List<String> expectedNames = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedNames::add);
            assertThat(actualNames).as(where).containsExactlyInAnyOrderElementsOf(expectedNames);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertClose(actual.get(field.getKey()), field.getValue());
            }
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    private static void flatten(JsonNode value, List<JsonNode> leaves) {
        if (value.isArray()) {
            value.forEach(element -> flatten(element, leaves));
        } else {
            leaves.add(value);
        }
    }

    private static JsonNode nest(long[] dims, int level, Iterator<JsonNode> values) {
        if (level == dims.length) {
            return values.next();
        }
        ArrayNode array = JSON.arrayNode();
        for (long i = 0; i < dims[level]; i++) {
            array.add(nest(dims, level + 1, values));
        }
        return array;
    }

    private static List<JsonNode> values(TensorProto tensor) {
        List<JsonNode> values = new ArrayList<>();
        ByteBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean packed = !tensor.getTensorContent().isEmpty();
        switch (tensor.getDtype()) {
            case DT_FLOAT -> {
                if (packed) {
                    while (content.hasRemaining()) {
                        values.add(JSON.numberNode(content.getFloat()));
                    }
                } else {
                    tensor.getFloatValList().forEach(v -> values.add(JSON.numberNode(v)));
                }
            }
            case DT_DOUBLE -> {
                if (packed) {
                    while (content.hasRemaining()) {
                        values.add(JSON.numberNode(content.getDouble()));
                    }
                } else {
                    tensor.getDoubleValList().forEach(v -> values.add(JSON.numberNode(v)));
                }
            }
            case DT_INT32 -> {
                if (packed) {
                    while (content.hasRemaining()) {
                        values.add(JSON.numberNode(content.getInt()));
                    }
                } else {
                    tensor.getIntValList().forEach(v -> values.add(JSON.numberNode(v)));
                }
            }
            case DT_INT64 -> {
                if (packed) {
                    while (content.hasRemaining()) {
                        values.add(JSON.numberNode(content.getLong()));
                    }
                } else {
                    tensor.getInt64ValList().forEach(v -> values.add(JSON.numberNode(v)));
                }
            }
            case DT_BOOL -> {
                if (packed) {
                    while (content.hasRemaining()) {
                        values.add(JSON.booleanNode(content.get() != 0));
                    }
                } else {
                    tensor.getBoolValList().forEach(v -> values.add(JSON.booleanNode(v)));
                }
            }
            case DT_STRING -> tensor.getStringValList().forEach(v -> values.add(JSON.textNode(v.toStringUtf8())));
            default -> throw new IllegalArgumentException("no test conversion for " + tensor.getDtype());
        }
        return values;
    }
}
