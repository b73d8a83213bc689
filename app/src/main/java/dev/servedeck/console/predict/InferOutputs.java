package dev.servedeck.console.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of an Open Inference Protocol answer as nested tensors: the protocol sends each output's {@code data}
 * flat (or nested) beside its {@code shape}, and the answer's table wants TF Serving's nesting, so that both
 * protocols' answers to the same request show as the same table.
 */
final class InferOutputs {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, JsonNode> tensors = new LinkedHashMap<>();
    private final Map<String, List<Long>> shapes = new LinkedHashMap<>();

    InferOutputs(JsonNode outputs) {
        for (JsonNode output : outputs) {
            List<Long> shape = new ArrayList<>();
            output.path("shape").forEach(size -> shape.add(size.asLong()));
            List<JsonNode> flat = new ArrayList<>();
            flatten(output.path("data"), flat);
            String name = output.path("name").asText();
            shapes.put(name, shape);
            tensors.put(name, nest(flat, shape));
        }
    }

    /** Whether {@code outputs} is the protocol's list of output tensors (TF Serving's columnar answer is not). */
    static boolean are(JsonNode outputs) {
        if (!outputs.isArray() || outputs.isEmpty()) {
            return false;
        }
        for (JsonNode output : outputs) {
            if (!output.isObject() || !output.has("name") || !output.has("datatype")) {
                return false;
            }
        }
        return true;
    }

    /** Each output nested by its shape (as sent when the values do not fill the shape, e.g. binary outputs). */
    Map<String, JsonNode> tensors() {
        return tensors;
    }

    /**
     * The answer as instances (each output's slice along the first dimension) when every output shares a first
     * dimension, as TF Serving's row format answers; empty otherwise.
     */
    List<Map<String, JsonNode>> rows() {
        long batch = -1;
        for (Map.Entry<String, List<Long>> output : shapes.entrySet()) {
            List<Long> shape = output.getValue();
            JsonNode tensor = tensors.get(output.getKey());
            if (shape.isEmpty() || (batch >= 0 && shape.get(0) != batch) || !tensor.isArray()
                    || tensor.size() != shape.get(0)) {
                return List.of();
            }
            batch = shape.get(0);
        }
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            Map<String, JsonNode> instance = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> output : tensors.entrySet()) {
                instance.put(output.getKey(), output.getValue().get(row));
            }
            rows.add(instance);
        }
        return rows;
    }

    private static void flatten(JsonNode value, List<JsonNode> into) {
        if (value.isArray()) {
            value.forEach(element -> flatten(element, into));
        } else if (!value.isMissingNode()) {
            into.add(value);
        }
    }

    /** The values laid out by the shape, row-major; the flat list itself when they do not fill it. */
    private static JsonNode nest(List<JsonNode> flat, List<Long> shape) {
        long count = 1;
        for (long size : shape) {
            count = size < 0 ? -1 : count * size;
            if (count < 0 || count > flat.size()) {
                break;
            }
        }
        if (count != flat.size()) {
            return JSON.arrayNode().addAll(flat);
        }
        if (shape.isEmpty()) {
            return flat.get(0);
        }
        return nest(flat, shape, 0, 0);
    }

    private static JsonNode nest(List<JsonNode> flat, List<Long> shape, int dimension, int offset) {
        ArrayNode level = JSON.arrayNode();
        long inner = 1;
        for (int d = dimension + 1; d < shape.size(); d++) {
            inner *= shape.get(d);
        }
        for (int i = 0; i < shape.get(dimension); i++) {
            int start = offset + (int) (i * inner);
            level.add(dimension == shape.size() - 1 ? flat.get(start) : nest(flat, shape, dimension + 1, start));
        }
        return level;
    }
}
