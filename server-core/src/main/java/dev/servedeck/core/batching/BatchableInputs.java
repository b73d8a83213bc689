package dev.servedeck.core.batching;

import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A Predict request that can share a batch, decided from its signature before anything is merged.
 *
 * <p>Batchable means: the signature declares every input and every requested output with a leading -1
 * (batch) dimension; the request sends exactly the signature's inputs, each with the declared dtype and rank,
 * every declared inner size, at least one row, the same row count for all inputs, and data addressable by row
 * ({@link TensorProtoBatches#hasRows}). Anything else (scalar or batch-less signatures such as the counter
 * model's, defaults, shapes that rely on the squeeze rule, malformed tensors) passes through unbatched, where
 * the servable validates it and answers exactly as without batching.
 *
 * @param rows the request's batch size (dimension 0 of every input)
 * @param inputs the tensors by alias, sorted
 * @param layouts what each input must share with its batch mates
 * @param outputAliases the outputs the request asks for, sorted (all of the signature's for an empty filter)
 */
public record BatchableInputs(int rows, SortedMap<String, TensorProto> inputs, SortedMap<String, InputLayout> layouts,
        List<String> outputAliases) {

    public BatchableInputs {
        inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
        layouts = Collections.unmodifiableSortedMap(new TreeMap<>(layouts));
        outputAliases = List.copyOf(outputAliases);
    }

    /** The request as a batchable one, or empty when it must pass through unbatched (see the class comment). */
    public static Optional<BatchableInputs> inspect(SignatureDef signature, Map<String, TensorProto> inputs,
            Set<String> outputFilter) {
        if (inputs.isEmpty() || !inputs.keySet().equals(signature.getInputsMap().keySet())) {
            return Optional.empty();
        }
        List<String> outputs = new ArrayList<>(new TreeSet<>(
                outputFilter.isEmpty() ? signature.getOutputsMap().keySet() : outputFilter));
        for (String alias : outputs) {
            TensorInfo info = signature.getOutputsMap().get(alias);
            if (info == null || !declaresBatchDim(info)) {
                return Optional.empty();
            }
        }
        SortedMap<String, InputLayout> layouts = new TreeMap<>();
        long rows = -1;
        for (var entry : inputs.entrySet()) {
            TensorInfo declared = signature.getInputsOrThrow(entry.getKey());
            TensorProto value = entry.getValue();
            if (!declaresBatchDim(declared) || value.getDtype() != Dtypes.base(declared.getDtype())
                    || !TensorProtoBatches.hasRows(value)) {
                return Optional.empty();
            }
            long[] expected = Shapes.dims(declared.getTensorShape());
            long[] sent = Shapes.dims(value);
            if (sent.length != expected.length || sent[0] < 1 || sent[0] > Integer.MAX_VALUE
                    || rows >= 0 && sent[0] != rows) {
                return Optional.empty();
            }
            List<Long> inner = new ArrayList<>();
            for (int d = 1; d < sent.length; d++) {
                if (expected[d] >= 0 && expected[d] != sent[d]) {
                    return Optional.empty();
                }
                inner.add(sent[d]);
            }
            rows = sent[0];
            layouts.put(entry.getKey(), new InputLayout(value.getDtype(), sent.length, inner));
        }
        return Optional.of(new BatchableInputs((int) rows, new TreeMap<>(inputs), layouts, outputs));
    }

    private static boolean declaresBatchDim(TensorInfo info) {
        if (!info.hasTensorShape() || info.getTensorShape().getUnknownRank()) {
            return false;
        }
        TensorShapeProto shape = info.getTensorShape();
        return shape.getDimCount() >= 1 && shape.getDim(0).getSize() == -1;
    }
}
