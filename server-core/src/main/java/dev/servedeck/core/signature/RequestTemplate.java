package dev.servedeck.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A request body to start from, built from a signature in TF Serving's REST formats; the Predict page's
 * editor and the load generator both start from it, so a signature is called the same way from either.
 *
 * <ul>
 *   <li>{@code signature_name} unless the signature is {@code serving_default}: a model without one (TF2
 *       exports) is always called by name.</li>
 *   <li>Classify and Regress: {@code "examples"}, one tf.Example per value with a placeholder feature to
 *       rename (the signature names one serialized-string input, not the features its parser expects).</li>
 *   <li>Predict, row format ({@code "instances"}, one row per value, the batch dimension left out) when
 *       every input is batched: a known rank and a first dimension of unknown size.</li>
 *   <li>Predict, columnar format ({@code "inputs"}, whole tensors of the first value) otherwise. An input of
 *       unknown rank ({@code shape=None} in a {@code tf.function}) gets a scalar: every such input takes one
 *       (broadcasting does the rest) and it is the smallest thing to edit into a list.</li>
 *   <li>An input the signature has a default for is left out: the server feeds the default, so the
 *       template answers as the model's author meant (a zero could silently change the answer, e.g. a
 *       scale factor). Such a signature always gets the columnar format, where leaving an input out is
 *       plain; a row of a plain list would stand for every input. The Predict page names these inputs in
 *       its hint so they can be added.</li>
 *   <li>Unknown sizes become 1; a shape of more than {@link #MAX_VALUES} values becomes all ones.</li>
 * </ul>
 */
public final class RequestTemplate {

    /** Above this many values per input the template cuts every dimension to 1 (a 4K image is no template). */
    public static final long MAX_VALUES = 1_000_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RequestTemplate() {
    }

    /**
     * The body for {@code signature} called with {@code verb}: one row (or example) per value, each element
     * the value in the input's dtype (0 is "", false; other values "a", true).
     */
    public static ObjectNode body(SignatureInfo signature, RestVerb verb, double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a template needs at least one value");
        }
        ObjectNode body = JSON.objectNode();
        if (!signature.isServingDefault()) {
            body.put("signature_name", signature.name());
        }
        if (verb != RestVerb.PREDICT) {
            ArrayNode examples = body.putArray("examples");
            for (double value : values) {
                examples.addObject().put("feature", value);
            }
            return body;
        }
        List<TensorInfo> inputs = requiredInputs(signature);
        if (rowFormat(signature)) {
            ArrayNode instances = body.putArray("instances");
            for (double value : values) {
                if (inputs.size() == 1) {
                    instances.add(filled(inputs.get(0), rowShape(inputs.get(0)), value));
                } else {
                    ObjectNode row = instances.addObject();
                    inputs.forEach(input -> row.set(input.name(), filled(input, rowShape(input), value)));
                }
            }
        } else {
            ObjectNode columns = body.putObject("inputs");
            inputs.forEach(input -> columns.set(input.name(), filled(input, shape(input), values[0])));
        }
        return body;
    }

    /** The inputs a request must send: those without a value in the signature's defaults. */
    public static List<TensorInfo> requiredInputs(SignatureInfo signature) {
        return signature.inputs().stream().filter(input -> !input.hasDefault()).toList();
    }

    /** The most values one row (or, in the columnar format, one whole input) of the template holds. */
    public static long valuesPerRow(SignatureInfo signature) {
        boolean rows = rowFormat(signature);
        return requiredInputs(signature).stream()
                .mapToLong(input -> count(rows ? rowShape(input) : shape(input)))
                .max().orElse(0);
    }

    /** Whether the template sends rows ({@code instances}, the batch dimension left out) rather than whole tensors. */
    static boolean rowFormat(SignatureInfo signature) {
        List<TensorInfo> inputs = signature.inputs();
        return !inputs.isEmpty() && inputs.stream().allMatch(input -> batched(input) && !input.hasDefault());
    }

    private static boolean batched(TensorInfo input) {
        return !input.unknownRank() && !input.dims().isEmpty() && input.dims().get(0) == -1;
    }

    /** One row's shape: the input's shape without its batch dimension, unknown sizes as 1. */
    static List<Long> rowShape(TensorInfo input) {
        return sizes(input.dims().subList(1, input.dims().size()));
    }

    /** The whole tensor's shape in the columnar format: unknown sizes as 1, a scalar for an unknown rank. */
    static List<Long> shape(TensorInfo input) {
        return input.unknownRank() ? List.of() : sizes(input.dims());
    }

    /** Unknown sizes become 1; a shape with more than {@link #MAX_VALUES} values becomes all ones. */
    private static List<Long> sizes(List<Long> dims) {
        List<Long> sizes = dims.stream().map(size -> size < 0 ? 1L : size).toList();
        return count(sizes) > MAX_VALUES ? sizes.stream().map(size -> 1L).toList() : sizes;
    }

    /** The number of values of a shape, capped just above {@link #MAX_VALUES} so that it cannot overflow. */
    static long count(List<Long> sizes) {
        long values = 1;
        for (long size : sizes) {
            values = size == 0 || values == 0 ? 0
                    : size > MAX_VALUES ? MAX_VALUES + 1 : Math.min(MAX_VALUES + 1, values * size);
        }
        return values;
    }

    private static JsonNode filled(TensorInfo input, List<Long> shape, double value) {
        if (shape.isEmpty()) {
            return element(input.dtype(), value);
        }
        ArrayNode array = JSON.arrayNode();
        List<Long> inner = shape.subList(1, shape.size());
        for (long i = 0; i < shape.get(0); i++) {
            array.add(filled(input, inner, value));
        }
        return array;
    }

    /**
     * One element in TF Serving's JSON for the dtype. Only the JSON kind matters here (number with or without
     * a fraction, string, boolean), so the console keeps no table of dtypes: every name not listed is an
     * integer type.
     */
    static JsonNode element(String dtype, double value) {
        return switch (dtype) {
            case "FLOAT", "DOUBLE", "HALF", "BFLOAT16", "COMPLEX64", "COMPLEX128" -> JSON.numberNode(value);
            case "STRING" -> JSON.textNode(value == 0 ? "" : "a");
            case "BOOL" -> JSON.booleanNode(value != 0);
            default -> JSON.numberNode((long) value);
        };
    }
}
