package dev.servedeck.core.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Optional;

/**
 * A valid Predict body for the load generator: the Predict page's template ({@link RequestTemplate}) for the
 * signature a model is called with by default ({@link DefaultSignature}), so both call a model alike, TF2
 * exports without serving_default included. Small inputs get three rows of distinct values
 * ({@code {"instances":[[1.0],[2.0],[5.0]]}} for half_plus_two), large ones a single row of zeros (one
 * 784-zero image for the demo MLP) so that JSON parsing does not dominate the load.
 */
public final class LoadRequestBody {

    /** Rows of up to this many values per input are sent three at a time. */
    private static final int SMALL_ROW = 16;
    private static final double[] SMALL_VALUES = {1.0, 2.0, 5.0};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LoadRequestBody() {
    }

    /** The compact JSON body; {@code {"instances":[]}} when there is no signature with inputs to build it from. */
    public static String predictBody(List<SignatureInfo> signatures) {
        Optional<SignatureInfo> chosen = DefaultSignature.of(signatures);
        if (chosen.isEmpty() || chosen.get().inputs().isEmpty()) {
            return write(JsonNodeFactory.instance.objectNode().set("instances", JsonNodeFactory.instance.arrayNode()));
        }
        return predictBody(chosen.get());
    }

    /** The compact JSON body for {@code signature}; {@code {"instances":[]}} when it has no inputs. */
    public static String predictBody(SignatureInfo signature) {
        if (signature.inputs().isEmpty()) {
            return write(JsonNodeFactory.instance.objectNode().set("instances", JsonNodeFactory.instance.arrayNode()));
        }
        return write(RequestTemplate.body(signature, RestVerb.PREDICT, values(signature)));
    }

    /**
     * The same body in the Open Inference Protocol's REST JSON ({@link InferRequestTemplate}): the same tensors,
     * so v1 and v2 load a model alike; {@code {"inputs":[]}} when the signature has no inputs.
     */
    public static String inferBody(SignatureInfo signature) {
        if (signature.inputs().isEmpty()) {
            return write(JsonNodeFactory.instance.objectNode().set("inputs", JsonNodeFactory.instance.arrayNode()));
        }
        return write(InferRequestTemplate.body(signature, values(signature)));
    }

    /** As {@link #inferBody(SignatureInfo)} for the signature a model is called with by default. */
    public static String inferBody(List<SignatureInfo> signatures) {
        return DefaultSignature.of(signatures).map(LoadRequestBody::inferBody)
                .orElseGet(() -> write(JsonNodeFactory.instance.objectNode().set("inputs",
                        JsonNodeFactory.instance.arrayNode())));
    }

    /** Three distinct rows for small inputs, one row of zeros for large ones. */
    private static double[] values(SignatureInfo signature) {
        return RequestTemplate.valuesPerRow(signature) <= SMALL_ROW ? SMALL_VALUES : new double[] {0};
    }

    private static String write(JsonNode body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
