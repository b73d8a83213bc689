package dev.servedeck.console.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servedeck.console.backend.SignatureInfo;
import dev.servedeck.console.backend.TensorInfo;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request body to start from, built from a signature's inputs in TF Serving's REST formats: the row
 * format ({@code "instances"}, one example per row) when every input is batched (first dimension -1),
 * the columnar format ({@code "inputs"}, whole tensors) otherwise, and {@code "examples"} for classify and
 * regress signatures. Values are zeros of the input's dtype; unknown inner sizes become 1.
 */
final class RequestTemplate {

    /** What a request without {@code signature_name} calls, so the template leaves it out. */
    static final String DEFAULT_SIGNATURE = "serving_default";
    /** Above this many values per input the template cuts every dimension to 1 (a 4K image is no template). */
    static final long MAX_VALUES = 1_000_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RequestTemplate() {
    }

    /** The template as the editor shows it. */
    static String text(SignatureInfo signature) {
        return JsonText.layout(body(signature));
    }

    static ObjectNode body(SignatureInfo signature) {
        ObjectNode body = JSON.objectNode();
        if (!signature.name().equals(DEFAULT_SIGNATURE)) {
            body.put("signature_name", signature.name());
        }
        if (PredictVerb.forMethod(signature.methodName()) != PredictVerb.PREDICT) {
            // tf.Examples: the signature names one serialized-string input, not the features the model's
            // parser expects, so the feature here is a placeholder to rename.
            body.putArray("examples").addObject().put("feature", 0.0);
            return body;
        }
        List<TensorInfo> inputs = signature.inputs();
        if (!inputs.isEmpty() && inputs.stream().allMatch(RequestTemplate::batched)) {
            ArrayNode instances = body.putArray("instances");
            if (inputs.size() == 1) {
                instances.add(zeros(inputs.get(0).dtype(), rowShape(inputs.get(0))));
            } else {
                ObjectNode row = instances.addObject();
                inputs.forEach(input -> row.set(input.name(), zeros(input.dtype(), rowShape(input))));
            }
        } else {
            ObjectNode columns = body.putObject("inputs");
            inputs.forEach(input -> columns.set(input.name(), zeros(input.dtype(), shape(input))));
        }
        return body;
    }

    /** Whether the row format applies: a known rank and a first dimension of unknown size (the batch). */
    static boolean batched(TensorInfo input) {
        return !input.unknownRank() && !input.dims().isEmpty() && input.dims().get(0) == -1;
    }

    private static List<Long> rowShape(TensorInfo input) {
        return sizes(input.dims().subList(1, input.dims().size()));
    }

    private static List<Long> shape(TensorInfo input) {
        return input.unknownRank() ? List.of() : sizes(input.dims());
    }

    /** Unknown sizes become 1; a shape with more than {@link #MAX_VALUES} values becomes all ones. */
    private static List<Long> sizes(List<Long> dims) {
        List<Long> sizes = dims.stream().map(size -> size < 0 ? 1L : size).toList();
        long values = 1;
        for (long size : sizes) {
            values = size == 0 || values == 0 ? 0
                    : size > MAX_VALUES ? MAX_VALUES + 1 : Math.min(MAX_VALUES + 1, values * size);
        }
        return values > MAX_VALUES ? sizes.stream().map(size -> 1L).toList() : sizes;
    }

    private static JsonNode zeros(String dtype, List<Long> shape) {
        if (shape.isEmpty()) {
            return zero(dtype);
        }
        ArrayNode array = JSON.arrayNode();
        List<Long> inner = shape.subList(1, shape.size());
        for (long i = 0; i < shape.get(0); i++) {
            array.add(zeros(dtype, inner));
        }
        return array;
    }

    /** TF Serving's JSON for a zero of each dtype: 0.0 for floats, 0 for integers, "" for strings. */
    static JsonNode zero(String dtype) {
        return switch (dtype) {
            case "FLOAT", "DOUBLE", "HALF", "BFLOAT16", "COMPLEX64", "COMPLEX128" -> JSON.numberNode(0.0);
            case "STRING" -> JSON.textNode("");
            case "BOOL" -> JSON.booleanNode(false);
            default -> JSON.numberNode(0);
        };
    }

    /** One line per input and output for the hint under the chooser, e.g. {@code x: FLOAT [-1, 1]}. */
    static String describe(SignatureInfo signature) {
        return "inputs " + tensors(signature.inputs()) + "  →  outputs " + tensors(signature.outputs());
    }

    private static String tensors(List<TensorInfo> tensors) {
        if (tensors.isEmpty()) {
            return "(none)";
        }
        return tensors.stream()
                .map(tensor -> tensor.name() + ": " + tensor.dtype() + " "
                        + (tensor.unknownRank() ? "(any shape)" : tensor.dims().toString()))
                .collect(Collectors.joining(", "));
    }
}
