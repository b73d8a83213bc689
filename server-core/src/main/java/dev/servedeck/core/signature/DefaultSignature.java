package dev.servedeck.core.signature;

import java.util.List;
import java.util.Optional;

/** The signature a model is called with until the operator chooses one: Predict page and load generator alike. */
public final class DefaultSignature {

    private DefaultSignature() {
    }

    /**
     * {@code serving_default}; for a model without one (TF2 exports often have none, so every request must
     * name a signature) the first signature meant for Predict, one whose method says predict and that does
     * not read tf.Examples; else the first.
     */
    public static Optional<SignatureInfo> of(List<SignatureInfo> signatures) {
        return signatures.stream().filter(SignatureInfo::isServingDefault).findFirst()
                .or(() -> signatures.stream()
                        .filter(s -> RestVerb.preferred(s) == RestVerb.PREDICT && !RestVerb.takesExamples(s))
                        .findFirst())
                .or(() -> signatures.stream().findFirst());
    }
}
