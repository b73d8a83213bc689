package dev.servedeck.console.backend;

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
}
