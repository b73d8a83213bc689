package dev.servedeck.core.events;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.status.Code;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened on the server, numbered: what an operator's event list shows.
 *
 * @param sequence 1, 2, ... from the server's start, without gaps
 * @param model the model, for a version state change; empty otherwise
 * @param version the version, for a version state change; 0 otherwise
 * @param state the new state, for a version state change
 * @param status OK, or the code of a failed load or a refused config
 * @param message words for people: the error, what a version waits for, what changed
 */
public record ServerEvent(long sequence, Instant time, Kind kind, String model, long version,
        Optional<ManagerState> state, Code status, String message) {

    /** What happened. */
    public enum Kind {
        /** A model version changed state. */
        VERSION_STATE,
        /** A model config was applied. */
        CONFIG_APPLIED,
        /** A model config was refused. */
        CONFIG_REFUSED,
        /** Batching parameters were changed live. */
        BATCHING_CHANGED
    }

    public ServerEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
