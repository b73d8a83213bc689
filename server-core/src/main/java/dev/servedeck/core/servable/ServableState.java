package dev.servedeck.core.servable;

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

    public boolean failed() {
        return !health.ok();
    }
}
