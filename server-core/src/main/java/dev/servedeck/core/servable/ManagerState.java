package dev.servedeck.core.servable;

/**
 * The life of one servable version as clients see it (TF Serving's ServableState::ManagerState and the
 * REST/gRPC ModelVersionStatus.State names).
 * <pre>
 *   START -> LOADING -> AVAILABLE -> UNLOADING -> END
 *              \-------(load error)------------> END (with an error status)
 * </pre>
 */
public enum ManagerState {
    /** Aspired by a source, not yet loading. */
    START,
    /** Its loader is running. */
    LOADING,
    /** Serving requests. */
    AVAILABLE,
    /** No longer aspired; waiting for in-flight requests, then releasing resources. */
    UNLOADING,
    /** Gone: unloaded, or failed to load (then {@link ServableState#health()} holds the error). */
    END
}
