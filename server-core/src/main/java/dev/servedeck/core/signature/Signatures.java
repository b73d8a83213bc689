package dev.servedeck.core.signature;

import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorShapeProto;

/** Model metadata's SignatureDefs in the console's terms. */
public final class Signatures {

    private Signatures() {
    }

    /** Sorted by name, with serving_default first (it is what a request without signature_name uses). */
    public static List<SignatureInfo> describe(Map<String, SignatureDef> signatureDefs) {
        List<SignatureInfo> signatures = new ArrayList<>();
        new TreeMap<>(signatureDefs).forEach((name, def) ->
                signatures.add(new SignatureInfo(name, def.getMethodName(),
                        tensors(def.getInputsMap(), def.getDefaultsMap().keySet()),
                        tensors(def.getOutputsMap(), Set.of()))));
        signatures.sort((a, b) -> Boolean.compare(!a.isServingDefault(), !b.isServingDefault()));
        return signatures;
    }

    /** @param defaulted the aliases with a value in the signature's {@code defaults} (TF2 signatures may have them) */
    private static List<TensorInfo> tensors(Map<String, org.tensorflow.proto.TensorInfo> tensors, Set<String> defaulted) {
        List<TensorInfo> described = new ArrayList<>();
        new TreeMap<>(tensors).forEach((name, info) -> {
            TensorShapeProto shape = info.getTensorShape();
            List<Long> dims = Arrays.stream(Shapes.dims(shape)).boxed().toList();
            // The console spells TensorFlow's names in capitals (FLOAT, INT64), and shows a TF1 variable's
            // *_REF dtype as the dtype a request sends for it.
            String dtype = Dtypes.name(Dtypes.base(info.getDtype())).toUpperCase(Locale.ROOT);
            described.add(new TensorInfo(name, dtype, dims, shape.getUnknownRank(), defaulted.contains(name)));
        });
        return described;
    }
}
