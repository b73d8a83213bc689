package dev.servedeck.core.loadgen.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The rows (batch size) of a TF Serving REST Predict body, for rows/s: the {@code instances}, or in the
 * columnar format the first dimension of the first input (1 for a scalar). An Open Inference Protocol body
 * ({@code "inputs"} as a list of tensors) counts the first dimension of its first input's {@code shape}.
 */
public final class PredictBodyRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictBodyRows() {
    }

    /** @throws IllegalArgumentException when the body is not JSON; 1 when it is JSON of another shape */
    public static int of(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not JSON: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new IllegalArgumentException("the request body is empty");
        }
        JsonNode instances = root.get("instances");
        if (instances != null && instances.isArray()) {
            return instances.size();
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null) {
            return 1;
        }
        if (inputs.isArray() && inputs.size() > 0 && inputs.get(0).isObject() && inputs.get(0).has("shape")) {
            JsonNode shape = inputs.get(0).get("shape");
            return shape.isArray() && shape.size() > 0 ? shape.get(0).asInt() : 1;
        }
        JsonNode first = inputs.isObject() && inputs.size() > 0 ? inputs.elements().next() : inputs;
        return first.isArray() ? first.size() : 1;
    }
}
