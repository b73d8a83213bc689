package dev.servedeck.console.backend;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a model version's warmup file goes ({@code <version folder>/assets.extra/tf_serving_warmup_requests},
 * which TF Serving and ServeDeck replay when the version loads) and whether one is there already.
 */
public record WarmupTarget(Path file, boolean exists) {

    public WarmupTarget {
        Objects.requireNonNull(file, "file");
    }
}
