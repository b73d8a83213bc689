package dev.servedeck.core.admin;

import dev.servedeck.core.lifecycle.ServableStateMonitor;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The read-only view of model states every front end uses (gRPC's GetModelStatus and health, REST's status
 * and {@code /v1/health}, the console, metrics): the latest state of every version the server has seen,
 * which versions are AVAILABLE, and the stream of changes. It is how code outside the core sees the
 * lifecycle, which stays internal; nothing here changes a model ({@link ModelAdministration} does).
 *
 * <p>Thread-safe; reads return immutable copies. Built by {@code ServerCore}, reached through
 * {@code ServerCore.states()}.
 */
public final class ModelStates {

    private final ServableStateMonitor monitor;

    /** For {@code ServerCore}, which owns the monitor this view reads. */
    public ModelStates(ServableStateMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /** Every model the server has seen, by name, each with its versions' latest states by version number. */
    public Map<String, SortedMap<Long, ServableState>> all() {
        return monitor.allStates();
    }

    /** The latest state of each version of {@code model} by version number; empty for a model never seen. */
    public SortedMap<Long, ServableState> versions(String model) {
        return monitor.versionStates(model);
    }

    /** The latest state of one version, if the server has seen it. */
    public Optional<ServableState> state(ServableId id) {
        return monitor.state(id);
    }

    /** The versions of {@code model} that are AVAILABLE (serving requests) now. */
    public SortedSet<Long> availableVersions(String model) {
        return versionsIn(model, state -> state == ManagerState.AVAILABLE);
    }

    /**
     * Whether {@code model} has an AVAILABLE version: the rule of a model's readiness (gRPC health per model,
     * ReloadConfig's "did not become available", the server's readiness for every configured model).
     */
    public boolean hasAvailableVersion(String model) {
        return !availableVersions(model).isEmpty();
    }

    /**
     * The versions of {@code model} being loaded or served (START, LOADING, AVAILABLE): what loading or
     * unloading one version keeps of the others.
     */
    public SortedSet<Long> servedVersions(String model) {
        return versionsIn(model, state -> state == ManagerState.START || state == ManagerState.LOADING
                || state == ManagerState.AVAILABLE);
    }

    /**
     * Calls {@code listener} with every state change from now on, on the thread that records it (keep it
     * quick, never block). Exceptions it throws are logged and ignored.
     *
     * @return closing it unsubscribes (closing twice is harmless)
     */
    public AutoCloseable subscribe(Consumer<ServableState> listener) {
        return monitor.subscribe(listener);
    }

    /**
     * Waits until the version's state satisfies {@code condition} (the current state counts).
     *
     * @return whether it did within {@code timeout}
     */
    public boolean awaitState(ServableId id, Predicate<ServableState> condition, Duration timeout)
            throws InterruptedException {
        return monitor.awaitState(id, condition, timeout);
    }

    /** Waits until the version is in {@code state}; whether it was within {@code timeout}. */
    public boolean awaitState(ServableId id, ManagerState state, Duration timeout) throws InterruptedException {
        return awaitState(id, current -> current.state() == state, timeout);
    }

    private SortedSet<Long> versionsIn(String model, Predicate<ManagerState> wanted) {
        SortedSet<Long> versions = new TreeSet<>();
        monitor.versionStates(model).forEach((version, state) -> {
            if (wanted.test(state.state())) {
                versions.add(version);
            }
        });
        return Collections.unmodifiableSortedSet(versions);
    }
}
