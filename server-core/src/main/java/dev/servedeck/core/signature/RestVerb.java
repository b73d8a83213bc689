package dev.servedeck.core.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The REST verb a signature is called with ({@code /v1/models/m:predict}), and which verbs a signature takes.
 *
 * <p>TF Serving, with its default {@code --enable_signature_method_name_check=false}, classifies and regresses
 * with any signature of the right form, and TF2 exports name every signature's method
 * {@code tensorflow/serving/predict} (TF Serving's TF2 half_plus_two has a {@code classify_x_to_y} so named). So
 * the form decides which verbs are offered, and the method name only which one comes first.
 */
public enum RestVerb {
    PREDICT("predict"),
    CLASSIFY("classify"),
    REGRESS("regress");

    private static final String METHOD_PREFIX = "tensorflow/serving/";
    /** The one input of a classify or regress signature (TF Serving's kClassifyInputs, kRegressInputs). */
    private static final String EXAMPLES_INPUT = "inputs";
    private static final Set<String> CLASSIFY_OUTPUTS = Set.of("classes", "scores");
    private static final String REGRESS_OUTPUT = "outputs";

    private final String verb;

    RestVerb(String verb) {
        this.verb = verb;
    }

    /** The part after the colon in {@code /v1/models/m:predict}. */
    public String verb() {
        return verb;
    }

    /** The verb a method name says; anything but classify and regress (predict, empty, unknown) is Predict. */
    public static RestVerb forMethod(String methodName) {
        for (RestVerb candidate : values()) {
            if ((METHOD_PREFIX + candidate.verb).equals(methodName)) {
                return candidate;
            }
        }
        return PREDICT;
    }

    /** The verb a signature starts with: the one its method name says. */
    public static RestVerb preferred(SignatureInfo signature) {
        return forMethod(signature.methodName());
    }

    /**
     * The verbs a signature can be called with: its preferred verb first, then every other verb whose form it
     * fits. Predict fits every signature (the server runs any signature for Predict).
     */
    public static List<RestVerb> offered(SignatureInfo signature) {
        List<RestVerb> verbs = new ArrayList<>();
        verbs.add(preferred(signature));
        for (RestVerb candidate : values()) {
            if (!verbs.contains(candidate) && candidate.fits(signature)) {
                verbs.add(candidate);
            }
        }
        return List.copyOf(verbs);
    }

    /**
     * Whether the signature has the form this verb needs, as TF Serving's classifier and regressor check it:
     * one DT_STRING input named {@code inputs} (serialized tf.Examples), and for Classify one or two outputs
     * named {@code classes} or {@code scores}, for Regress one output named {@code outputs}.
     */
    public boolean fits(SignatureInfo signature) {
        return switch (this) {
            case PREDICT -> true;
            case CLASSIFY -> takesExamples(signature) && !signature.outputs().isEmpty()
                    && signature.outputs().size() <= CLASSIFY_OUTPUTS.size()
                    && signature.outputs().stream().allMatch(output -> CLASSIFY_OUTPUTS.contains(output.name()));
            case REGRESS -> takesExamples(signature) && signature.outputs().size() == 1
                    && signature.outputs().get(0).name().equals(REGRESS_OUTPUT);
        };
    }

    /** Whether the signature reads tf.Examples: its only input is the serialized-string {@code inputs}. */
    public static boolean takesExamples(SignatureInfo signature) {
        List<TensorInfo> inputs = signature.inputs();
        return inputs.size() == 1 && inputs.get(0).name().equals(EXAMPLES_INPUT)
                && inputs.get(0).dtype().equals("STRING");
    }
}
