package dev.servedeck.console.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servedeck.console.backend.SignatureInfo;
import dev.servedeck.console.backend.TensorInfo;
import java.util.List;
import java.util.Optional;

/**
 * A valid Predict body for the load generator, built from a model's signature: TF Serving's row format
 * ({@code instances}), the batch dimension left out of each instance. Small inputs get three rows of
 * distinct values ({@code {"instances":[[1.0],[2.0],[5.0]]}} for half_plus_two), large ones a single row of
 * zeros (one 784-zero image for the demo MLP) so that JSON parsing does not dominate the load.
 */
final class RequestTemplates {

    static final String SERVING_DEFAULT = "serving_default";
    /** Instances up to this many values get three rows. */
    private static final int SMALL_INSTANCE = 16;
    private static final double[] SMALL_VALUES = {1.0, 2.0, 5.0};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestTemplates() {
    }

    /** The body for the signature a plain Predict request uses (serving_default, else the first predict one). */
    static String predictBody(List<SignatureInfo> signatures) {
        Optional<SignatureInfo> chosen = signatures.stream().filter(s -> s.name().equals(SERVING_DEFAULT)).findFirst()
                .or(() -> signatures.stream().filter(s -> s.methodName().endsWith("/predict")).findFirst())
                .or(() -> signatures.stream().findFirst());
        ObjectNode body = JSON.objectNode();
        if (chosen.isEmpty() || chosen.get().inputs().isEmpty()) {
            body.putArray("instances");
            return write(body);
        }
        SignatureInfo signature = chosen.get();
        if (!signature.name().equals(SERVING_DEFAULT)) {
            body.put("signature_name", signature.name());
        }
        List<TensorInfo> inputs = signature.inputs();
        int rows = inputs.stream().allMatch(input -> valuesPerInstance(input) <= SMALL_INSTANCE) ? SMALL_VALUES.length : 1;
        ArrayNode instances = body.putArray("instances");
        for (int row = 0; row < rows; row++) {
            double value = rows == 1 ? 0 : SMALL_VALUES[row];
            if (inputs.size() == 1) {
                instances.add(instance(inputs.get(0), value));
            } else {
                ObjectNode named = instances.addObject();
                inputs.forEach(input -> named.set(input.name(), instance(input, value)));
            }
        }
        return write(body);
    }

    /** The dimensions of one instance: the shape without its batch dimension (unknown sizes taken as 1). */
    private static List<Long> instanceDims(TensorInfo input) {
        List<Long> dims = input.dims();
        return dims.isEmpty() ? List.of() : dims.subList(1, dims.size());
    }

    private static long valuesPerInstance(TensorInfo input) {
        long values = 1;
        for (long dim : instanceDims(input)) {
            values *= Math.max(1, dim);
        }
        return values;
    }

    private static JsonNode instance(TensorInfo input, double value) {
        return nested(instanceDims(input), 0, input.dtype(), value);
    }

    private static JsonNode nested(List<Long> dims, int depth, String dtype, double value) {
        if (depth == dims.size()) {
            return scalar(dtype, value);
        }
        ArrayNode array = JSON.arrayNode();
        long size = Math.max(1, dims.get(depth));
        for (long i = 0; i < size; i++) {
            array.add(nested(dims, depth + 1, dtype, value));
        }
        return array;
    }

    private static JsonNode scalar(String dtype, double value) {
        return switch (dtype) {
            case "FLOAT", "DOUBLE", "HALF", "BFLOAT16" -> JSON.numberNode(value);
            case "BOOL" -> JSON.booleanNode(value != 0);
            case "STRING" -> JSON.textNode(value == 0 ? "" : "a");
            default -> JSON.numberNode((long) value); // the integer types
        };
    }

    private static String write(JsonNode body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
