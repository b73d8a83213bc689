package dev.servedeck.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servedeck.core.oip.InferDatatype;
import dev.servedeck.core.oip.InferRequest;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * A request body to start from in the Open Inference Protocol's REST JSON ({@code POST /v2/models/m/infer}), built
 * from a signature by the same rules as TF Serving's ({@link RequestTemplate}), so both dialects send the same
 * tensors: the same inputs (defaults left out), the same shapes (rows stacked on the batch dimension, or whole
 * tensors in the columnar case), the same values. What differs is only how the protocol writes them:
 *
 * <ul>
 *   <li>each input as {@code {"name", "shape", "datatype", "data"}}, {@code data} flat in row-major order;</li>
 *   <li>the datatype by the server's own mapping ({@link InferDatatype}: FLOAT is FP32, STRING is BYTES);</li>
 *   <li>a signature other than {@code serving_default} named by ServeDeck's {@code signature_name} request
 *       parameter (the protocol has none).</li>
 * </ul>
 *
 * The protocol has no Classify or Regress: only Predict's form is built.
 */
public final class InferRequestTemplate {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private InferRequestTemplate() {
    }

    /** The body for {@code signature}: one row per value when TF Serving's template would send rows. */
    public static ObjectNode body(SignatureInfo signature, double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a template needs at least one value");
        }
        ObjectNode body = JSON.objectNode();
        if (!signature.isServingDefault()) {
            body.putObject("parameters").put(InferRequest.SIGNATURE_PARAMETER, signature.name());
        }
        ArrayNode inputs = body.putArray("inputs");
        boolean rows = RequestTemplate.rowFormat(signature);
        for (TensorInfo input : RequestTemplate.requiredInputs(signature)) {
            List<Long> shape = new ArrayList<>();
            ArrayNode data = JSON.arrayNode();
            if (rows) {
                List<Long> row = RequestTemplate.rowShape(input);
                shape.add((long) values.length);
                shape.addAll(row);
                for (double value : values) {
                    repeat(data, RequestTemplate.element(input.dtype(), value), RequestTemplate.count(row));
                }
            } else {
                shape.addAll(RequestTemplate.shape(input));
                repeat(data, RequestTemplate.element(input.dtype(), values[0]), RequestTemplate.count(shape));
            }
            ObjectNode tensor = inputs.addObject().put("name", input.name());
            shape.forEach(tensor.putArray("shape")::add);
            tensor.put("datatype", datatype(input));
            tensor.set("data", data);
        }
        return body;
    }

    /**
     * The protocol's datatype of a signature's tensor, as the server maps it ({@link InferDatatype#describe}): the
     * console's dtype names are TensorFlow's without {@code DT_}.
     */
    public static String datatype(TensorInfo tensor) {
        DataType dtype;
        try {
            dtype = DataType.valueOf("DT_" + tensor.dtype());
        } catch (IllegalArgumentException e) {
            return tensor.dtype();
        }
        return InferDatatype.describe(dtype);
    }

    private static void repeat(ArrayNode data, JsonNode element, long times) {
        for (long i = 0; i < times; i++) {
            data.add(element);
        }
    }
}
