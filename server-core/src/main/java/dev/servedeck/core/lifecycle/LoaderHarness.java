package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The manager's record of one version: its loader, where it is in its life, its load attempts and whether a
 * source still aspires it (TF Serving's LoaderHarness). Every transition is checked, so a bug in the manager
 * shows up as an exception rather than as a version loaded twice or closed while serving.
 *
 * <p>A failed attempt with attempts left waits in {@link State#WAITING_TO_RETRY} (LOADING to clients) without
 * holding a load thread; TF Serving sleeps in its load thread instead. A source that hands over a different
 * {@link Loader} for a version that failed, or is between attempts, starts it over with that loader and a
 * fresh set of attempts ({@link #offerLoader}): the version's files changed, so it deserves a new try.
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
        /** An attempt failed and another is scheduled; no thread is held meanwhile. */
        WAITING_TO_RETRY(ManagerState.LOADING),
        /** Loaded and in the serving map. */
        READY(ManagerState.AVAILABLE),
        /** Out of the serving map; draining handles, then closing, on the unload pool. */
        UNLOADING(ManagerState.UNLOADING),
        /** Unloaded, or dropped before it ever loaded. Terminal. */
        DISABLED(ManagerState.END),
        /** The load failed for good (no attempts left, or no longer aspired); the error is kept. Terminal. */
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
    private final LoadAttempts attempts;
    private Loader loader;
    /** A loader handed over while an attempt ran: used instead of retrying if that attempt fails. */
    private Loader nextLoader;
    private State state = State.NEW;
    private boolean aspired = true;
    private Status health = Status.OK;
    private LoadedVersion loaded;
    /** Changes whenever a scheduled retry stops being the one to run. */
    private long retryGeneration;

    LoaderHarness(ServableId id, Loader loader, LoadRetries retries) {
        this.id = Objects.requireNonNull(id, "id");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.attempts = new LoadAttempts(Objects.requireNonNull(retries, "retries"));
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

    LoadAttempts attempts() {
        return attempts;
    }

    /** Identifies the retry scheduled by {@link #waitToRetry}; a stale one finds a different value. */
    long retryGeneration() {
        return retryGeneration;
    }

    /** The first attempt. */
    void startLoading() {
        transition(State.NEW, State.LOADING);
        attempts.start();
    }

    /** A further attempt, after {@link #waitToRetry}. */
    void startRetry() {
        transition(State.WAITING_TO_RETRY, State.LOADING);
        attempts.start();
        health = attempts.retrying();
    }

    void loadSucceeded(Servable servable) {
        Objects.requireNonNull(servable, "servable");
        transition(State.LOADING, State.READY);
        loaded = new LoadedVersion(id, servable);
        health = Status.OK;
        nextLoader = null;
    }

    /** Records a failed attempt; the manager then retries, starts over or gives up. */
    void attemptFailed(Status error) {
        if (error.ok()) {
            throw new IllegalArgumentException("A failed load needs an error status, got OK for " + id);
        }
        if (state != State.LOADING) {
            throw new IllegalStateException("Servable " + id + " has no attempt running; it is " + state);
        }
        attempts.failed(error);
    }

    /** After a failed attempt: waits for the next one, which is due after {@code interval}. */
    void waitToRetry(Duration interval) {
        transition(State.LOADING, State.WAITING_TO_RETRY);
        retryGeneration++;
        health = attempts.waitingToRetry(interval);
    }

    /** After a failed attempt, or instead of the next one: gives up with the last attempt's error. */
    void loadFailed() {
        if (state != State.LOADING && state != State.WAITING_TO_RETRY) {
            throw new IllegalStateException("Servable " + id + " cannot fail to load from " + state);
        }
        state = State.ERROR;
        retryGeneration++;
        health = attempts.lastError();
    }

    /**
     * Takes the loader a source aspires the version with. A different one than this harness's (the version's
     * files changed) starts a version that failed, or waits to retry, over as NEW with a fresh set of attempts;
     * during an attempt it is kept for when that attempt fails; a version that never started just swaps loaders.
     * A loaded version keeps what it loaded, as in TF Serving.
     *
     * @return true if the version is NEW again (the caller records the change)
     */
    boolean offerLoader(Loader offered) {
        Objects.requireNonNull(offered, "offered");
        if (offered == loader) {
            return false;
        }
        switch (state) {
            case NEW -> loader = offered;
            case LOADING -> nextLoader = offered;
            case WAITING_TO_RETRY, ERROR -> {
                startOver(offered);
                return true;
            }
            default -> {
                // READY, UNLOADING, DISABLED: loaded (or done) with the files it had.
            }
        }
        return false;
    }

    /** After a failed attempt: the loader handed over while it ran, if any, starts the version over. */
    boolean startOverWithNextLoader() {
        if (nextLoader == null) {
            return false;
        }
        Loader next = nextLoader;
        startOver(next);
        return true;
    }

    private void startOver(Loader newLoader) {
        loader = newLoader;
        nextLoader = null;
        state = State.NEW;
        retryGeneration++;
        attempts.reset();
        health = Status.OK;
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
