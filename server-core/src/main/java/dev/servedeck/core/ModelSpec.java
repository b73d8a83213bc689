package dev.servedeck.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a request addresses, as TF Serving's ModelSpec: a model name, at most one of a version number or
 * a version label (neither means the latest available version), and a signature name (empty means
 * {@code serving_default}).
 */
public record ModelSpec(String name, OptionalLong version, Optional<String> label, String signatureName) {

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(label, "label");
        signatureName = signatureName == null ? "" : signatureName;
        if (version.isPresent() && label.isPresent()) {
            throw new IllegalArgumentException("a model spec names a version or a label, not both");
        }
    }

    public static ModelSpec latest(String name) {
        return new ModelSpec(name, OptionalLong.empty(), Optional.empty(), "");
    }

    public static ModelSpec version(String name, long version) {
        return new ModelSpec(name, OptionalLong.of(version), Optional.empty(), "");
    }

    public static ModelSpec label(String name, String label) {
        return new ModelSpec(name, OptionalLong.empty(), Optional.of(label), "");
    }

    public ModelSpec withSignature(String signature) {
        return new ModelSpec(name, version, label, signature);
    }
}
