package dev.servedeck.core.batching;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * What one input must share with the other requests of a batch: dtype, rank and, unless inner dimensions
 * are padded, every dimension but the first.
 */
public record InputLayout(DataType dtype, int rank, List<Long> innerDims) {

    public InputLayout {
        innerDims = List.copyOf(innerDims);
    }

    /** The layout requests must share when inner dimensions are padded to the batch's largest. */
    public InputLayout withPaddableInnerDims() {
        return new InputLayout(dtype, rank, List.of());
    }
}
