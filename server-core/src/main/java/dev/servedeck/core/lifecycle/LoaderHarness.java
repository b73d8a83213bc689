package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Status;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The manager's record of one version: its loader, where it is in its life and whether a source still
 * aspires it (TF Serving's LoaderHarness). Every transition is checked, so a bug in the manager shows up
 * as an exception rather than as a version loaded twice or closed while serving.
 *
 * <p>Not thread-safe: only the manager thread touches it. The load and unload pools get the loader or
 * the {@link LoadedVersion}, never the harness.
 */
final class LoaderHarness {

    /** TF Serving's LoaderHarness states, with quiescing folded into UNLOADING. */
    enum State {
        /** Aspired, not yet asked to load. */
        NEW(ManagerState.START),
        /** Its loader runs on the load pool. */
        LOADING(ManagerState.LOADING),
        /** Loaded and in the serving map. */
        READY(ManagerState.AVAILABLE),
        /** Out of the serving map; draining handles, then closing, on the unload pool. */
        UNLOADING(ManagerState.UNLOADING),
        /** Unloaded, or dropped before it ever loaded. Terminal. */
        DISABLED(ManagerState.END),
        /** The load failed; the error is kept. Terminal. */
        ERROR(ManagerState.END);

        private final ManagerState managerState;

        State(ManagerState managerState) {
            this.managerState = managerState;
        }

        ManagerState managerState() {
            return managerState;
        }
    }

    private final ServableId id;
    private final Loader loader;
    private State state = State.NEW;
    private boolean aspired = true;
    private Status health = Status.OK;
    private LoadedVersion loaded;

    LoaderHarness(ServableId id, Loader loader) {
        this.id = Objects.requireNonNull(id, "id");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    ServableId id() {
        return id;
    }

    Loader loader() {
        return loader;
    }

    State state() {
        return state;
    }

    boolean aspired() {
        return aspired;
    }

    void setAspired(boolean aspired) {
        this.aspired = aspired;
    }

    Status health() {
        return health;
    }

    /** The loaded version while READY or UNLOADING. */
    Optional<LoadedVersion> loaded() {
        return Optional.ofNullable(loaded);
    }

    void startLoading() {
        transition(State.NEW, State.LOADING);
    }

    void loadSucceeded(Servable servable) {
        Objects.requireNonNull(servable, "servable");
        transition(State.LOADING, State.READY);
        loaded = new LoadedVersion(id, servable);
    }

    void loadFailed(Status error) {
        if (error.ok()) {
            throw new IllegalArgumentException("A failed load needs an error status, got OK for " + id);
        }
        transition(State.LOADING, State.ERROR);
        health = error;
    }

    void startUnloading() {
        transition(State.READY, State.UNLOADING);
    }

    void unloaded() {
        transition(State.UNLOADING, State.DISABLED);
        loaded = null;
    }

    /** Drops a version that was never asked to load (unaspired while NEW). */
    void cancel() {
        transition(State.NEW, State.DISABLED);
    }

    boolean terminal() {
        return state == State.DISABLED || state == State.ERROR;
    }

    ServableState servableState(Instant time) {
        return new ServableState(id, state.managerState(), health, time);
    }

    AspiredServableStateSnapshot snapshot() {
        return new AspiredServableStateSnapshot(id, state.managerState(), aspired);
    }

    private void transition(State expected, State next) {
        if (state != expected) {
            throw new IllegalStateException(
                    "Servable " + id + " cannot move to " + next + " from " + state + " (only from " + expected + ")");
        }
        state = next;
    }

    @Override
    public String toString() {
        return "LoaderHarness" + id + "[" + state + (aspired ? ", aspired" : "") + "]";
    }
}
