package dev.servedeck.core.loadgen;

/** Where a run is. */
public enum LoadPhase {
    /** Sending, not yet counting. */
    WARMING_UP,
    /** Sending and counting. */
    MEASURING,
    /** No more sends; waiting for the answers in flight. */
    DRAINING,
    /** Every answer is in. */
    DONE
}
