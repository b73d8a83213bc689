package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest state of every servable version the manager has seen, END states included, and the event
 * stream of every change (TF Serving's ServableStateMonitor plus its event bus). Status queries, the
 * console and metrics all read from here.
 *
 * <p>Thread-safe. Readers never take the writers' lock: they read concurrent maps and get copies.
 * Subscribers are called on the recording thread (the manager thread), in recording order, so they must
 * be quick and must not block; an exception from a subscriber is logged and otherwise ignored.
 */
public final class ServableStateMonitor {

    private static final Logger log = LoggerFactory.getLogger(ServableStateMonitor.class);

    private final Map<String, ConcurrentSkipListMap<Long, ServableState>> statesByName = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<ServableState>> listeners = new CopyOnWriteArrayList<>();
    /** Serialises writers so that listeners see events in the order the states were stored. */
    private final Object recordLock = new Object();

    /** Stores the state as the latest of its version and tells every subscriber. */
    public void record(ServableState state) {
        Objects.requireNonNull(state, "state");
        synchronized (recordLock) {
            statesByName.computeIfAbsent(state.id().name(), name -> new ConcurrentSkipListMap<>())
                    .put(state.id().version(), state);
            for (Consumer<ServableState> listener : listeners) {
                notifyQuietly(listener, state);
            }
        }
    }

    /**
     * Shows that a source found a version it does not aspire yet because it is not complete
     * ({@link ServableState#waiting}). A wait never hides a version the manager holds: it is recorded only
     * over nothing, an END, or an earlier wait, and only when its reason changed, so a source may repeat
     * it at every poll and subscribers hear each new reason once.
     *
     * @return whether it was recorded
     */
    public boolean recordWaiting(ServableId id, String reason, Instant time) {
        ServableState waiting = ServableState.waiting(id, reason, time);
        synchronized (recordLock) {
            Optional<ServableState> current = state(id);
            boolean managed = current.isPresent() && !current.get().waiting()
                    && current.get().state() != ManagerState.END;
            boolean same = current.isPresent() && current.get().waiting()
                    && current.get().health().equals(waiting.health());
            if (managed || same) {
                return false;
            }
            record(waiting);
            return true;
        }
    }

    /**
     * Ends a wait recorded by {@link #recordWaiting} (END, status OK, as the manager records a version
     * dropped before it loaded) if it is still the version's latest state: its folder went away, or the
     * source no longer wants it. A version the manager took over in the meantime is left alone.
     */
    public void endWaiting(ServableId id, Instant time) {
        synchronized (recordLock) {
            if (state(id).filter(ServableState::waiting).isPresent()) {
                record(new ServableState(id, ManagerState.END, Status.OK, time));
            }
        }
    }

    public Optional<ServableState> state(ServableId id) {
        Map<Long, ServableState> versions = statesByName.get(id.name());
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(id.version()));
    }

    /** Every version of a stream by version number; empty if the name is unknown. A copy. */
    public SortedMap<Long, ServableState> versionStates(String name) {
        Map<Long, ServableState> versions = statesByName.get(name);
        return versions == null
                ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    }

    /** Every stream by name; a copy. */
    public Map<String, SortedMap<Long, ServableState>> allStates() {
        Map<String, SortedMap<Long, ServableState>> copy = new TreeMap<>();
        for (String name : statesByName.keySet()) {
            SortedMap<Long, ServableState> versions = versionStates(name);
            if (!versions.isEmpty()) {
                copy.put(name, versions);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Subscribes to every future state change.
     *
     * @return closing it unsubscribes (closing twice is harmless)
     */
    public AutoCloseable subscribe(Consumer<ServableState> listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper per subscription, so that the same listener subscribed twice is removed once per close.
        Consumer<ServableState> subscription = listener::accept;
        listeners.add(subscription);
        return () -> listeners.remove(subscription);
    }

    /**
     * Waits until the version's state satisfies the condition (checked against the current state first).
     *
     * @return true if it did within the timeout
     */
    public boolean awaitState(ServableId id, Predicate<ServableState> condition, Duration timeout)
            throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        Consumer<ServableState> watcher = state -> {
            if (state.id().equals(id) && condition.test(state)) {
                reached.countDown();
            }
        };
        // Subscribe before looking at the current state, so that a change in between is not missed.
        listeners.add(watcher);
        try {
            if (state(id).filter(condition).isPresent()) {
                return true;
            }
            return reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            listeners.remove(watcher);
        }
    }

    /** Drops every state of a stream, for a model removed from the configuration. */
    public void forget(String name) {
        synchronized (recordLock) {
            statesByName.remove(name);
        }
    }

    private static void notifyQuietly(Consumer<ServableState> listener, ServableState state) {
        try {
            listener.accept(state);
        } catch (RuntimeException e) {
            log.warn("A servable state listener failed on {} {}; ignoring it", state.id(), state.state(), e);
        }
    }
}
