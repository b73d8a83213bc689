package dev.servedeck.core.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether a version folder holds everything its model needs, judged from the files themselves: the file
 * system source aspires a version only once it is {@link Ready}. Each model platform knows its own format
 * (TensorFlow's is {@code core.tensorflow.SavedModelCompleteness}); the source knows none.
 */
@FunctionalInterface
public interface VersionReadiness {

    Ready READY = new Ready();

    /**
     * Looks at a version folder whose files are not changing at the moment.
     *
     * @return {@link #READY}, or {@link Waiting} with what is missing. Never throws: a file that cannot be
     *     read yet is something to wait for.
     */
    Verdict check(Path versionFolder);

    /** What a check found. */
    sealed interface Verdict permits Ready, Waiting {
    }

    /** Complete: loading it is worth trying (it may still fail, and then that is a load error). */
    record Ready() implements Verdict {
    }

    /** Not complete yet; {@code reason} tells an operator what is missing, e.g. {@code waiting for variables/variables.index}. */
    record Waiting(String reason) implements Verdict {

        public Waiting {
            Objects.requireNonNull(reason, "reason");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("A waiting version needs a reason");
            }
        }
    }
}
