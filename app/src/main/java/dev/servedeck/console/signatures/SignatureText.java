package dev.servedeck.console.signatures;

import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import java.util.List;
import java.util.stream.Collectors;

/** A signature in words, as the Predict page's chooser and hint and the Models page's list show it. */
public final class SignatureText {

    private SignatureText() {
    }

    /** The name and the verbs it takes: {@code serving_default (predict)}, {@code classify_x_to_y (predict, classify)}. */
    public static String title(SignatureInfo signature) {
        return signature.name() + " ("
                + RestVerb.offered(signature).stream().map(RestVerb::verb).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * {@code inputs a: FLOAT (any shape), k: FLOAT [] (has a default)  →  outputs y: FLOAT [-1]}. An input with a
     * default is marked because templates leave it out: this is where the operator learns that it exists and
     * may be sent to override the default.
     */
    public static String tensors(SignatureInfo signature) {
        return "inputs " + list(signature.inputs()) + "  →  outputs " + list(signature.outputs());
    }

    private static String list(List<TensorInfo> tensors) {
        if (tensors.isEmpty()) {
            return "(none)";
        }
        return tensors.stream()
                .map(tensor -> tensor.name() + ": " + tensor.dtype() + " "
                        + (tensor.unknownRank() ? "(any shape)" : tensor.dims().toString())
                        + (tensor.hasDefault() ? " (has a default)" : ""))
                .collect(Collectors.joining(", "));
    }
}
