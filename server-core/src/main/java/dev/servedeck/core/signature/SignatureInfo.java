package dev.servedeck.core.signature;

import java.util.List;
import java.util.Objects;

/**
 * A signature of a model version, as its metadata describes it.
 *
 * @param methodName e.g. {@code tensorflow/serving/predict}
 */
public record SignatureInfo(String name, String methodName, List<TensorInfo> inputs, List<TensorInfo> outputs) {

    /** What a request without {@code signature_name} calls. */
    public static final String SERVING_DEFAULT = "serving_default";

    public SignatureInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(methodName, "methodName");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Whether a request may leave out this signature's name. */
    public boolean isServingDefault() {
        return name.equals(SERVING_DEFAULT);
    }
}
