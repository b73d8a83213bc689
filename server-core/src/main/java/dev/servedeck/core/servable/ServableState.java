package dev.servedeck.core.servable;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.Status;
import java.time.Instant;
import java.util.Objects;

/** A state change of one servable version: what the state monitor records and the event stream carries. */
public record ServableState(ServableId id, ManagerState state, Status health, Instant time) {

    public ServableState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(time, "time");
    }

    /**
     * A version a source found but does not aspire yet because it is not complete (a model still being
     * copied). START, since nothing has been asked to load it (LOADING would say a load runs, and load
     * metrics time loads from LOADING); the status code stays OK, since nothing failed, and its message
     * says what the version waits for, as TF Serving's {@code error_message} field carries it.
     */
    public static ServableState waiting(ServableId id, String reason, Instant time) {
        if (reason.isBlank()) {
            throw new IllegalArgumentException("A waiting version needs a reason");
        }
        return new ServableState(id, ManagerState.START, Status.of(Code.OK, reason), time);
    }

    /** True for a {@link #waiting} state; the manager's own START never carries a message. */
    public boolean waiting() {
        return state == ManagerState.START && health.ok() && !health.message().isEmpty();
    }

    public boolean failed() {
        return !health.ok();
    }
}
