package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import java.util.List;
import java.util.Optional;

/**
 * What a search found.
 *
 * @param original the parameters in force when it started (restored at the end)
 * @param steps every step, in order; step 0 measured {@code original}
 * @param proposal the step with the most rows/s within the target; empty when no step met it
 * @param ending why the search ended
 * @param failure what went wrong, when {@code ending} is {@link Ending#FAILED}; else null
 * @param restored whether {@code original} is in force again (false only if restoring failed: the log says why)
 */
public record TuningResult(BatchingOptions original, List<TuningStep> steps, Optional<TuningStep> proposal,
        Ending ending, String failure, boolean restored) {

    public TuningResult {
        steps = List.copyOf(steps);
    }

    /** Why a search ended. */
    public enum Ending {
        /** Every direction of every parameter was tried or pruned. */
        COMPLETED,
        /** Stopped by the operator. */
        STOPPED,
        /** The time budget ran out. */
        BUDGET_SPENT,
        /** The server failed (refused to read parameters, went away). */
        FAILED
    }

    /** Whether the proposal differs from the parameters in force (else the best is what the server has). */
    public boolean proposesAChange() {
        return proposal.isPresent() && !proposal.get().options().equals(original);
    }
}
