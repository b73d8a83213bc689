package dev.servedeck.core.servable;

import dev.servedeck.core.status.ServingException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * A loaded model version that answers requests. Implementations are thread-safe; the manager closes a
 * servable only after the last {@code ServableHandle} on it is released.
 *
 * <p>Tensors cross this boundary as {@link TensorProto}s, TF Serving's own wire type, so REST and gRPC
 * front ends share one representation (gRPC without any conversion). Only the {@code org.tensorflow.proto}
 * data classes appear here, never the TensorFlow runtime.
 */
public interface Servable extends AutoCloseable {

    /** The signature TF Serving uses when a request names none. */
    String DEFAULT_SIGNATURE = "serving_default";

    /**
     * Every servable signature exactly as the SavedModel declares it (metadata answers print these); never
     * TF2's {@code __saved_model_init_op}, which is the model's initializer.
     */
    Map<String, SignatureDef> signatureDefs();

    /**
     * The signature Predict runs.
     *
     * @param signatureName signature key; never empty (callers resolve the default first)
     * @throws ServingException FAILED_PRECONDITION with TF Serving's words (predict_util.cc), followed by the
     *     keys the model has: a TF2 export often has no {@code serving_default}, and its clients must learn
     *     which name to send
     */
    default SignatureDef predictSignature(String signatureName) {
        SignatureDef def = signatureDefs().get(signatureName);
        if (def == null) {
            throw ServingException.failedPrecondition("Serving signature key \"" + signatureName + "\" not found."
                    + signatureKeysSentence(signatureDefs().keySet()));
        }
        return def;
    }

    /** The sentence that follows "signature not found" in every API: which signature keys there are. */
    static String signatureKeysSentence(Set<String> keys) {
        return keys.isEmpty() ? " The model has no signatures."
                : " Signatures of this model: " + String.join(", ", new TreeSet<>(keys)) + ".";
    }

    /**
     * Runs a signature (TF Serving's Predict API).
     *
     * @param signatureName signature key; empty means {@link #DEFAULT_SIGNATURE}
     * @param inputs tensors keyed by the signature's input aliases; all inputs are required
     * @param outputFilter output aliases to return; empty means every output of the signature
     * @return output tensors keyed by alias
     * @throws dev.servedeck.core.status.ServingException INVALID_ARGUMENT for unknown signatures, names,
     *     wrong dtypes or shapes (checked before TensorFlow runs)
     */
    Map<String, TensorProto> predict(String signatureName, Map<String, TensorProto> inputs, Set<String> outputFilter);

    /**
     * {@link #predict} with the time of each phase measured where it happens. By default the whole call counts as
     * the run; a servable that converts tensors on its own says how long that took.
     */
    default TimedOutputs predictTimed(String signatureName, Map<String, TensorProto> inputs,
            Set<String> outputFilter) {
        long start = System.nanoTime();
        Map<String, TensorProto> outputs = predict(signatureName, inputs, outputFilter);
        return new TimedOutputs(outputs, RunPhases.inferOnly(System.nanoTime() - start));
    }

    /** TF Serving's Classify API: one list of (label, score) per example. */
    List<List<Classification>> classify(String signatureName, ExampleBatch input);

    /** TF Serving's Regress API: one value per example. */
    List<Float> regress(String signatureName, ExampleBatch input);

    /** Releases native resources. Called once, after the last request on this version finished. */
    @Override
    void close();
}
