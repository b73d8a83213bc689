package dev.servedeck.console.backend;

import java.util.List;
import java.util.Objects;

/**
 * An input or output of a signature.
 *
 * @param dtype TensorFlow's name without the prefix, e.g. {@code FLOAT}, {@code INT64}, {@code STRING}
 * @param dims the shape, -1 for unknown sizes; empty with {@code unknownRank} when the rank is unknown
 */
public record TensorInfo(String name, String dtype, List<Long> dims, boolean unknownRank) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        dims = List.copyOf(dims);
    }
}
