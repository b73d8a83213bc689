package dev.servedeck.bench;

import java.util.List;

/**
 * How TensorFlow spreads one session run over threads. The default (intra-op parallelism 0: TensorFlow picks
 * the core count) is TF Serving's and suits one large request at a time; under many concurrent calls on 2
 * cores, one intra-op thread per run leaves the cores to the concurrent runs and the transport instead of
 * handing each matrix product across threads. The benchmark measures batching under both, because the
 * batching-off baseline moves with the setting as much as batching on does (README, "Batching").
 *
 * @param label              how reports name the setting
 * @param intraOpParallelism {@code --tensorflow_intra_op_parallelism}; 0 for TensorFlow's choice
 */
record TensorflowThreads(String label, int intraOpParallelism) {

    static final TensorflowThreads DEFAULTS = new TensorflowThreads("TF Serving's default threads", 0);

    static final TensorflowThreads ONE_INTRA_OP_THREAD = new TensorflowThreads("one intra-op thread", 1);

    static List<TensorflowThreads> all() {
        return List.of(DEFAULTS, ONE_INTRA_OP_THREAD);
    }

    /** TF Serving's default: TensorFlow picks the thread count. */
    boolean isDefault() {
        return intraOpParallelism == 0;
    }

    /** The ServeDeck flags that choose this setting; none for TF Serving's defaults. */
    List<String> flags() {
        return isDefault() ? List.of()
                : List.of("--tensorflow_intra_op_parallelism=" + intraOpParallelism);
    }

    /** The flags as a reader would type them, or "(defaults)". */
    String flagsText() {
        return isDefault() ? "(defaults)" : String.join(" ", flags());
    }
}
