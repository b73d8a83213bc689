package dev.servedeck.core.tensorflow;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Checks a Predict request against its SignatureDef before TensorFlow sees it; neither TensorFlow nor
 * TF Java checks fed shapes, and their dtype errors name tensors by position only. All failures are
 * INVALID_ARGUMENT.
 *
 * <ol>
 *   <li>Inputs: every signature input is sent (or has a value in the signature's {@code defaults}) and
 *       nothing else is sent. Messages as TF Serving's predict_util.cc: {@code input size does not match
 *       signature: ... Sent extra: {..}. Missing but required: {..}.}, or, when the counts agree but a name
 *       does not, {@code input tensor alias not found in signature: ...}.</li>
 *   <li>Output filter: every alias must be a signature output ({@code output tensor alias not found in
 *       signature: ...}); an empty filter means all outputs.</li>
 *   <li>Dtype: the sent dtype equals the declared one (reference dtypes count as their base dtype):
 *       {@code Expects input 'x' to be float but string is provided}.</li>
 *   <li>Content: the tensor's data agrees with its shape ({@link TensorProtos#checkContent}), else
 *       {@code tensor parsing error: x (reason)} as TF Serving words it.</li>
 *   <li>Shape: checked, never enforced. TensorFlow does not enforce a signature's shapes either (a fed
 *       placeholder takes any shape; the ops decide), and TF Serving feeds what it gets: its TF2
 *       half_plus_two declares {@code x} as [1] and answers {@code {"instances": [2.0, 3.0, 4.0]}}. A shape
 *       that does not fit the declaration (rule below) is noted in the plan; when TensorFlow then fails,
 *       the error carries the note ({@code input 'x' was sent with shape [2,10]; the signature declares
 *       [-1,784]}). The fit rule: a declared shape that is absent or of unknown rank fits anything; else the
 *       sent shape must match dim by dim, -1 matching any size; when the ranks differ it may instead match
 *       after removing the size-1 dims of both shapes ("squeeze rule"), where a -1 may also stand for a
 *       size-1 dim removed from the sent shape ({@code [3]} fits {@code [-1,1]}).</li>
 *   <li>Batch: inputs declared with a leading -1 and sent with rank >= 1 that disagree on dim 0 are noted
 *       the same way.</li>
 * </ol>
 */
final class PredictRequestValidator {

    private PredictRequestValidator() {
    }

    /** One input to feed: the graph tensor and its value. */
    record Feed(String alias, String tensorName, TensorProto value) {
    }

    /** One output to fetch. */
    record Fetch(String alias, String tensorName) {
    }

    /**
     * @param shapeNotes the ways the sent shapes do not fit the signature, for the error when TensorFlow
     *     refuses them (empty when everything fits)
     */
    record Plan(List<Feed> feeds, List<Fetch> fetches, List<String> shapeNotes) {

        /** The TensorFlow error, followed by what the signature declared where the request did not fit it. */
        String explain(String tensorflowError) {
            return shapeNotes.isEmpty() ? tensorflowError : tensorflowError + " (" + String.join("; ", shapeNotes) + ")";
        }
    }

    static Plan validate(SignatureDef signature, Map<String, TensorProto> inputs, Set<String> outputFilter) {
        Map<String, TensorProto> values = checkInputNames(signature, inputs);
        List<Fetch> fetches = checkOutputFilter(signature, outputFilter);
        List<Feed> feeds = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String batchInput = null;
        long batchSize = -1;
        for (var entry : values.entrySet()) {
            String alias = entry.getKey();
            TensorInfo declared = signature.getInputsOrThrow(alias);
            TensorProto value = entry.getValue();
            checkDtype(alias, declared, value);
            try {
                TensorProtos.checkContent(value);
            } catch (IllegalArgumentException e) {
                throw ServingException.invalidArgument("tensor parsing error: " + alias + " (" + e.getMessage() + ")");
            }
            long[] sent = Shapes.dims(value.getTensorShape());
            if (hasKnownRank(declared)) {
                long[] expected = Shapes.dims(declared.getTensorShape());
                if (!shapeAccepted(expected, sent)) {
                    notes.add("input '" + alias + "' was sent with shape " + Shapes.toString(sent)
                            + "; the signature declares " + Shapes.toString(expected));
                }
                if (expected.length > 0 && expected[0] < 0 && sent.length > 0) {
                    if (batchInput == null) {
                        batchInput = alias;
                        batchSize = sent[0];
                    } else if (sent[0] != batchSize) {
                        notes.add("inputs disagree on the batch size (dim 0): '" + batchInput + "' has " + batchSize
                                + " but '" + alias + "' has " + sent[0]);
                    }
                }
            }
            feeds.add(new Feed(alias, declared.getName(), value));
        }
        return new Plan(List.copyOf(feeds), fetches, List.copyOf(notes));
    }

    /** The values to feed by alias (sent or default), sorted by alias; rejects missing and extra names. */
    private static Map<String, TensorProto> checkInputNames(SignatureDef signature, Map<String, TensorProto> inputs) {
        Set<String> sent = new TreeSet<>(inputs.keySet());
        Set<String> expected = new TreeSet<>(signature.getInputsMap().keySet());
        Set<String> extra = new TreeSet<>(sent);
        extra.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(sent);
        missing.removeAll(signature.getDefaultsMap().keySet());
        // Equal counts with a wrong name leave something extra, so the second check sees every other case.
        if (sent.size() != expected.size() && (!extra.isEmpty() || !missing.isEmpty())) {
            throw ServingException.invalidArgument("input size does not match signature: " + sent.size() + "!="
                    + expected.size() + " len({" + String.join(",", sent) + "}) != len({" + String.join(",", expected)
                    + "}). Sent extra: {" + String.join(",", extra) + "}. Missing but required: {"
                    + String.join(",", missing) + "}.");
        }
        if (!extra.isEmpty()) {
            throw ServingException.invalidArgument("input tensor alias not found in signature: " + extra.iterator().next()
                    + ". Inputs expected to be in the set {" + String.join(",", expected) + "}.");
        }
        Map<String, TensorProto> values = new TreeMap<>();
        for (String alias : expected) {
            values.put(alias, inputs.containsKey(alias) ? inputs.get(alias) : signature.getDefaultsOrThrow(alias));
        }
        return values;
    }

    private static List<Fetch> checkOutputFilter(SignatureDef signature, Set<String> outputFilter) {
        Set<String> aliases = outputFilter.isEmpty() ? new TreeSet<>(signature.getOutputsMap().keySet())
                : new TreeSet<>(outputFilter);
        List<Fetch> fetches = new ArrayList<>();
        for (String alias : aliases) {
            TensorInfo info = signature.getOutputsMap().get(alias);
            if (info == null) {
                throw ServingException.invalidArgument("output tensor alias not found in signature: " + alias
                        + " Outputs expected to be in the set {"
                        + String.join(",", new TreeSet<>(signature.getOutputsMap().keySet())) + "}.");
            }
            fetches.add(new Fetch(alias, info.getName()));
        }
        return List.copyOf(fetches);
    }

    private static void checkDtype(String alias, TensorInfo declared, TensorProto value) {
        DataType expected = Dtypes.base(declared.getDtype());
        if (expected != DataType.DT_INVALID && value.getDtype() != expected) {
            throw ServingException.invalidArgument("Expects input '" + alias + "' to be " + Dtypes.name(expected)
                    + " but " + Dtypes.name(value.getDtype()) + " is provided");
        }
    }

    private static boolean hasKnownRank(TensorInfo info) {
        if (!info.hasTensorShape()) {
            return false;
        }
        TensorShapeProto shape = info.getTensorShape();
        return !shape.getUnknownRank();
    }

    /** The fit rule of the class comment. */
    static boolean shapeAccepted(long[] declared, long[] sent) {
        if (declared.length == sent.length) {
            // Same rank: the client meant the declared layout, so every dim must agree ([1,2] is no [-1,1]).
            return dimsMatch(declared, 0, sent, 0, 0);
        }
        long[] squeezedDeclared = withoutOnes(declared);
        long[] squeezedSent = withoutOnes(sent);
        int removedFromSent = sent.length - squeezedSent.length;
        return dimsMatch(squeezedDeclared, 0, squeezedSent, 0, removedFromSent);
    }

    /** Matches dims in order; a declared -1 may match nothing while {@code skips} (removed size-1 dims) remain. */
    private static boolean dimsMatch(long[] declared, int d, long[] sent, int s, int skips) {
        if (d == declared.length) {
            return s == sent.length;
        }
        if (declared[d] < 0) {
            return s < sent.length && dimsMatch(declared, d + 1, sent, s + 1, skips)
                    || skips > 0 && dimsMatch(declared, d + 1, sent, s, skips - 1);
        }
        return s < sent.length && declared[d] == sent[s] && dimsMatch(declared, d + 1, sent, s + 1, skips);
    }

    private static long[] withoutOnes(long[] dims) {
        return Arrays.stream(dims).filter(dim -> dim != 1).toArray();
    }
}
