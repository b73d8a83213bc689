package dev.servedeck.console.backend;

import java.util.Map;
import java.util.Objects;

/** Which version a request names: the latest, a number or a label (as TF Serving's model_spec). */
public sealed interface VersionChoice {

    VersionChoice LATEST = new Latest();

    record Latest() implements VersionChoice {
    }

    record Number(long version) implements VersionChoice {
    }

    record Label(String label) implements VersionChoice {
        public Label {
            Objects.requireNonNull(label, "label");
        }
    }

    /** The REST path segment after the model name: empty, {@code /versions/N} or {@code /labels/L}. */
    default String restPath() {
        if (this instanceof Number number) {
            return "/versions/" + number.version();
        }
        if (this instanceof Label label) {
            return "/labels/" + label.label();
        }
        return "";
    }

    /**
     * The path segment the Open Inference Protocol names this version with ({@code /v2/models/m[/versions/N]/infer}):
     * empty or {@code /versions/N}.
     *
     * @throws IllegalStateException for a label: the protocol has none, resolve it first ({@link #withoutLabel})
     */
    default String inferPath() {
        if (this instanceof Label label) {
            throw new IllegalStateException("The Open Inference Protocol has no version labels: resolve label '"
                    + label.label() + "' to its version first");
        }
        return restPath();
    }

    /**
     * This choice as the Open Inference Protocol can send it. The protocol names versions only by number, so a label
     * becomes the version it points at now (a label moved later is not followed: the answer's {@code model_version}
     * says which version served); the latest and version numbers stay as they are.
     *
     * @param labels the model's labels as the server reports them (label to version)
     * @throws IllegalArgumentException naming the label when it points at no version
     */
    default VersionChoice withoutLabel(String model, Map<String, Long> labels) {
        if (!(this instanceof Label label)) {
            return this;
        }
        Long version = labels.get(label.label());
        if (version == null) {
            throw new IllegalArgumentException("The Open Inference Protocol has no version labels, and label '"
                    + label.label() + "' of " + model + " points at no version: choose a version number");
        }
        return new Number(version);
    }
}
