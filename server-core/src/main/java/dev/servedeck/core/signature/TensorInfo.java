package dev.servedeck.core.signature;

import java.util.List;
import java.util.Objects;

/**
 * An input or output of a signature.
 *
 * @param dtype TensorFlow's name without the prefix, e.g. {@code FLOAT}, {@code INT64}, {@code STRING}
 * @param dims the shape, -1 for unknown sizes; empty with {@code unknownRank} when the rank is unknown
 * @param hasDefault (inputs only) the signature's {@code defaults} hold a value for it, so a request may
 *     leave it out
 */
public record TensorInfo(String name, String dtype, List<Long> dims, boolean unknownRank, boolean hasDefault) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        dims = List.copyOf(dims);
    }

    /** A tensor without a default: every output, and most inputs. */
    public TensorInfo(String name, String dtype, List<Long> dims, boolean unknownRank) {
        this(name, dtype, dims, unknownRank, false);
    }
}
