package dev.servedeck.console.predict;

/** The REST verb a signature is called with, chosen by its method name (as TF Serving's API documents). */
public enum PredictVerb {
    PREDICT("predict"),
    CLASSIFY("classify"),
    REGRESS("regress");

    private static final String METHOD_PREFIX = "tensorflow/serving/";

    private final String verb;

    PredictVerb(String verb) {
        this.verb = verb;
    }

    /** The part after the colon in {@code /v1/models/m:predict}. */
    public String verb() {
        return verb;
    }

    /** Classify and regress signatures take tf.Examples through their own verbs; everything else is Predict. */
    public static PredictVerb forMethod(String methodName) {
        if ((METHOD_PREFIX + CLASSIFY.verb).equals(methodName)) {
            return CLASSIFY;
        }
        if ((METHOD_PREFIX + REGRESS.verb).equals(methodName)) {
            return REGRESS;
        }
        return PREDICT;
    }
}
