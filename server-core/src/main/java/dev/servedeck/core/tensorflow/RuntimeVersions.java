package dev.servedeck.core.tensorflow;

import org.tensorflow.TensorFlow;

/** Which TensorFlow this server runs: for server info (the admin API, the console). */
public final class RuntimeVersions {

    private RuntimeVersions() {
    }

    /** The TensorFlow runtime's own version, e.g. "2.18.0" (loads TensorFlow's natives if they are not yet). */
    public static String tensorflow() {
        return TensorFlow.version();
    }

    /** TensorFlow Java's version, from its jar's manifest; "unknown" when the jar does not say. */
    public static String tensorflowJava() {
        String version = TensorFlow.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
