package dev.servedeck.core.tensorflow;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * A SignatureDef checked against the loaded graph once, at load time. A signature that does not fit the
 * graph does not stop the model from loading (TF Serving serves such models); it fails when called.
 */
final class BoundSignature {

    private final String key;
    private final SignatureDef def;
    /** Why the signature cannot run at all: a tensor missing from the graph or an unsupported encoding. */
    private final Optional<String> unresolved;
    /** A declared dtype that disagrees with the graph: Predict cannot honour it, Classify/Regress ignore it. */
    private final Optional<String> dtypeMismatch;
    private final Map<String, DataType> graphInputTypes;

    private BoundSignature(String key, SignatureDef def, Optional<String> unresolved, Optional<String> dtypeMismatch,
            Map<String, DataType> graphInputTypes) {
        this.key = key;
        this.def = def;
        this.unresolved = unresolved;
        this.dtypeMismatch = dtypeMismatch;
        this.graphInputTypes = Map.copyOf(graphInputTypes);
    }

    static BoundSignature bind(String key, SignatureDef def, Graph graph) {
        String unresolved = null;
        String dtypeMismatch = null;
        Map<String, DataType> graphInputTypes = new HashMap<>();
        for (boolean input : new boolean[] {true, false}) {
            Map<String, TensorInfo> tensors = input ? def.getInputsMap() : def.getOutputsMap();
            for (var entry : tensors.entrySet()) {
                String what = (input ? "input '" : "output '") + entry.getKey() + "'";
                TensorInfo info = entry.getValue();
                if (info.getEncodingCase() != TensorInfo.EncodingCase.NAME) {
                    unresolved = unresolved != null ? unresolved
                            : what + " uses a " + info.getEncodingCase() + " encoding, which this server does not support";
                    continue;
                }
                Output<?> output = findOutput(graph, info.getName());
                if (output == null) {
                    unresolved = unresolved != null ? unresolved
                            : what + " names tensor " + info.getName() + ", which is not in the graph";
                    continue;
                }
                DataType graphType = Dtypes.base(output.dataType());
                if (input) {
                    graphInputTypes.put(entry.getKey(), graphType);
                }
                DataType declared = Dtypes.base(info.getDtype());
                if (dtypeMismatch == null && declared != DataType.DT_INVALID && declared != graphType) {
                    dtypeMismatch = what + " is tensor " + info.getName() + " of dtype " + graphType
                            + " in the graph, but the signature declares " + declared;
                }
            }
        }
        return new BoundSignature(key, def, Optional.ofNullable(unresolved), Optional.ofNullable(dtypeMismatch),
                graphInputTypes);
    }

    String key() {
        return key;
    }

    SignatureDef def() {
        return def;
    }

    /** What is wrong with the signature, if anything (logged at load time). */
    Optional<String> problem() {
        return unresolved.or(() -> dtypeMismatch);
    }

    /** Predict feeds the declared dtypes, so any disagreement with the graph makes the call impossible. */
    void checkPredictable() {
        problem().ifPresent(problem -> {
            throw ServingException.failedPrecondition(cannotRun(problem));
        });
    }

    /** Classify and Regress feed DT_STRING whatever the declaration says (as TF Serving): only missing tensors matter. */
    void checkRunnable() {
        unresolved.ifPresent(problem -> {
            throw ServingException.failedPrecondition(cannotRun(problem));
        });
    }

    /** The dtype of an input tensor in the graph (known once {@link #checkRunnable()} passed). */
    DataType graphInputType(String alias) {
        return graphInputTypes.getOrDefault(alias, DataType.DT_INVALID);
    }

    private String cannotRun(String problem) {
        return "Signature \"" + key + "\" cannot be run: its " + problem;
    }

    private static Output<?> findOutput(Graph graph, String tensorName) {
        try {
            return graph.output(tensorName);
        } catch (RuntimeException e) {
            // malformed names ("x:abc") and out-of-range output indices
            return null;
        }
    }
}
