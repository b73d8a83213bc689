package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableRequest;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.status.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the versions sources aspire, unloads the ones they no longer aspire, and hands out the loaded
 * ones to requests (TF Serving's AspiredVersionsManager).
 *
 * <p>Threads. One manager thread makes every lifecycle decision: it applies aspired sets, asks the
 * {@link AspiredVersionPolicy} what to do with each stream, starts loads and unloads, and reacts when they
 * finish, so every harness state changes in one place and needs no lock. Loads run on a bounded load pool
 * (different versions in parallel), unloads on a bounded unload pool; a version is never loading and
 * unloading at once because only the manager thread moves it between those states. After each change the
 * manager thread publishes an immutable {@link ServingMap}; {@link #acquire} reads it without locks and
 * pins the version with an atomic reference count.
 *
 * <p>Every state change is recorded in the {@link ServableStateMonitor}, after the serving map already
 * reflects it: whoever sees AVAILABLE can acquire the version.
 *
 * <p>Failed loads are retried as TF Serving's {@code --max_num_load_retries} and
 * {@code --load_retry_interval_micros} ask ({@link LoadRetries}): only load failures, the version LOADING
 * meanwhile with a status that counts the attempts, then END with the last error. A version no longer aspired
 * stops retrying at once. Between attempts no load thread is held: the {@link LoadRetryScheduler} hands the
 * next attempt back to the manager thread when it is due. A source that aspires a failed version with a
 * different {@link Loader} (its files changed) gets it loaded again with a fresh set of attempts.
 *
 * <p>Closing interrupts the loads in progress: a loader that can stop early (warmup replay does) gives up, one
 * that cannot (TensorFlow's own restore) finishes, and what it loaded is unloaded and closed like the rest.
 */
public final class AspiredVersionsManager implements AspiredVersionsCallback, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AspiredVersionsManager.class);

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final long SETTLE_POLL_MILLIS = 20;

    private final ServableStateMonitor monitor;
    private final AspiredVersionPolicy policy;
    private final Clock clock;
    private final LoadRetries retries;
    private final LoadRetryScheduler retryScheduler;
    private final Duration drainTimeout;
    private final Duration closeTimeout;
    private final ExecutorService managerThread;
    private final ExecutorService loadPool;
    private final ExecutorService unloadPool;

    // Confined to the manager thread.
    private final Map<String, NavigableMap<Long, LoaderHarness>> streams = new TreeMap<>();
    private final Map<String, List<AspiredVersion>> deferredRequests = new HashMap<>();
    private boolean closing;

    private volatile ServingMap servingMap = ServingMap.EMPTY;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> everythingUnloaded = new CompletableFuture<>();

    public AspiredVersionsManager(ServableStateMonitor monitor, AspiredVersionPolicy policy, int loadThreads,
            int unloadThreads, Clock clock) {
        this(builder(monitor).policy(policy).loadThreads(loadThreads).unloadThreads(unloadThreads).clock(clock));
    }

    private AspiredVersionsManager(Builder builder) {
        this.monitor = builder.monitor;
        this.policy = builder.policy;
        this.clock = builder.clock;
        this.retries = builder.retries;
        this.retryScheduler = builder.retryScheduler != null ? builder.retryScheduler : LoadRetryScheduler.daemonThread();
        this.drainTimeout = builder.drainTimeout;
        this.closeTimeout = builder.closeTimeout;
        this.managerThread = fixedPool(1, "servedeck-manager");
        this.loadPool = fixedPool(builder.loadThreads, "servedeck-load");
        this.unloadPool = fixedPool(builder.unloadThreads, "servedeck-unload");
    }

    public static Builder builder(ServableStateMonitor monitor) {
        return new Builder(monitor);
    }

    /** Queues the complete aspired set of one stream for the manager thread and returns at once. */
    @Override
    public void setAspiredVersions(String servableName, List<AspiredVersion> versions) {
        Objects.requireNonNull(servableName, "servableName");
        List<AspiredVersion> aspired = List.copyOf(versions);
        for (AspiredVersion version : aspired) {
            if (!version.id().name().equals(servableName)) {
                throw new IllegalArgumentException(
                        "Aspired version " + version.id() + " does not belong to stream " + servableName);
            }
        }
        if (closed.get()) {
            log.debug("Manager is closed; ignoring aspired versions of {}", servableName);
            return;
        }
        runOnManagerThread(() -> {
            if (!closing) {
                applyAspiredVersions(servableName, aspired);
                reconcile();
            }
        });
    }

    /**
     * Pins a loaded version for one request; close the handle when done.
     *
     * @throws ServingException NOT_FOUND for an unknown model or version, UNAVAILABLE for a known one that
     *     does not serve right now (the message says its state)
     */
    public ServableHandle acquire(ServableRequest request) {
        Objects.requireNonNull(request, "request");
        while (true) {
            LoadedVersion version = servingMap.resolve(request);
            if (version.tryAcquire()) {
                return new ServableHandle(version);
            }
            // Retired after we read the map: the manager published a map without it before retiring it,
            // so the next read resolves to a version that still serves (or fails with the right error).
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until no aspired version of the named streams is still waiting to load or loading, i.e. each
     * is AVAILABLE or has failed (a version waiting to retry counts as failed, so that one broken model does
     * not hold up a start for every retry interval; it keeps retrying in the background). Aspired sets handed
     * over before this call are taken into account (the check runs on the manager thread, after them).
     *
     * @return false if the timeout passed first
     */
    public boolean awaitStreamsSettled(Set<String> names, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CompletableFuture<Boolean> settled = new CompletableFuture<>();
            if (!runOnManagerThread(() -> settled.complete(streamsSettled(names)))) {
                return true; // closed: nothing is loading any more
            }
            try {
                long remaining = deadline - System.nanoTime();
                if (settled.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
                    return true;
                }
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(SETTLE_POLL_MILLIS);
        }
    }

    private boolean streamsSettled(Set<String> names) {
        for (String name : names) {
            if (deferredRequests.containsKey(name)) {
                return false; // re-aspires a version still unloading: it loads again once that unload ends
            }
            for (LoaderHarness harness : streams.getOrDefault(name, Collections.emptyNavigableMap()).values()) {
                boolean waiting = harness.state() == LoaderHarness.State.NEW
                        || harness.state() == LoaderHarness.State.LOADING;
                if (waiting && harness.snapshot().aspired()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The versions of a stream that serve right now; empty if none or unknown. */
    public SortedSet<Long> availableVersions(String name) {
        return servingMap.availableVersions(name);
    }

    /** Every stream the manager holds at least one version of, in any state. */
    public Set<String> streamNames() {
        return servingMap.names();
    }

    /**
     * Unloads every version, lowest first per stream, waiting for in-flight handles (each bounded by the
     * drain timeout, the whole by the close timeout), then stops the threads. Later aspired sets are ignored.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Closing the servable manager: unloading {} stream(s)", streamNames().size());
        if (runOnManagerThread(this::unloadEverything)) {
            awaitEverythingUnloaded();
        }
        managerThread.shutdown();
        loadPool.shutdownNow();
        unloadPool.shutdownNow();
        retryScheduler.close();
        servingMap = ServingMap.EMPTY;
    }

    private void awaitEverythingUnloaded() {
        try {
            everythingUnloaded.get(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
            log.info("Servable manager closed");
        } catch (TimeoutException e) {
            log.warn("Servable manager still had versions loading or unloading after {}; stopping anyway", closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while closing the servable manager; stopping without waiting");
        } catch (ExecutionException e) {
            log.error("Closing the servable manager failed", e.getCause());
        }
    }

    // ---- manager thread ----

    private void unloadEverything() {
        closing = true;
        // Loads in progress are pointless now: interrupting them lets a loader that can stop early give up
        // (warmup replay checks between requests) instead of holding the shutdown up. No load starts after this.
        loadPool.shutdownNow();
        deferredRequests.clear();
        for (String name : List.copyOf(streams.keySet())) {
            applyAspiredVersions(name, List.of());
        }
        reconcile();
    }

    /**
     * Makes {@code versions} the aspired set of the stream: new versions get a harness in START, versions
     * already known keep theirs, versions left out are marked unaspired (the policy unloads them), dropped
     * if they never started, or forgotten if they failed.
     */
    private void applyAspiredVersions(String name, List<AspiredVersion> versions) {
        NavigableMap<Long, LoaderHarness> harnesses = streams.computeIfAbsent(name, n -> new TreeMap<>());
        Map<Long, AspiredVersion> wanted = new TreeMap<>();
        versions.forEach(version -> wanted.put(version.id().version(), version));
        boolean reaspiresUnloading = wanted.keySet().stream()
                .map(harnesses::get)
                .anyMatch(harness -> harness != null && harness.state() == LoaderHarness.State.UNLOADING);
        if (reaspiresUnloading) {
            // As TF Serving does: a version cannot come back while it is still unloading, so the whole
            // request waits until that unload finishes and is then applied again.
            log.debug("Deferring aspired versions of {} until its unloading versions are gone", name);
            deferredRequests.put(name, versions);
            return;
        }
        deferredRequests.remove(name);
        for (LoaderHarness harness : List.copyOf(harnesses.values())) {
            if (!wanted.containsKey(harness.id().version())) {
                unaspire(harnesses, harness);
            }
        }
        wanted.forEach((version, aspired) -> {
            LoaderHarness existing = harnesses.get(version);
            if (existing != null) {
                existing.setAspired(true);
                if (existing.offerLoader(aspired.loader())) {
                    changed(existing);
                    log.info("Servable {} is aspired with a new loader after a failed load; loading it again", aspired.id());
                }
            } else {
                LoaderHarness harness = new LoaderHarness(aspired.id(), aspired.loader(), retries);
                harnesses.put(version, harness);
                changed(harness);
                log.debug("Servable {} is aspired", aspired.id());
            }
        });
        if (harnesses.isEmpty()) {
            streams.remove(name);
        }
        publish();
    }

    private void unaspire(NavigableMap<Long, LoaderHarness> harnesses, LoaderHarness harness) {
        switch (harness.state()) {
            case NEW -> {
                harness.cancel();
                harnesses.remove(harness.id().version());
                changed(harness);
                log.debug("Servable {} is no longer aspired; it never started loading", harness.id());
            }
            case WAITING_TO_RETRY -> {
                harness.setAspired(false);
                harness.loadFailed();
                harnesses.remove(harness.id().version());
                changed(harness);
                log.info("Servable {} is no longer aspired; it stops retrying its load", harness.id());
            }
            // The monitor keeps the final state (and a load error) of a forgotten version.
            case ERROR, DISABLED -> harnesses.remove(harness.id().version());
            default -> harness.setAspired(false);
        }
    }

    /** Asks the policy for each stream's next action and takes it, until no stream needs one. */
    private void reconcile() {
        for (String name : List.copyOf(streams.keySet())) {
            NavigableMap<Long, LoaderHarness> harnesses = streams.get(name);
            // Each action moves a version forward, so this ends; the bound stops a policy that repeats itself.
            int maxActions = 2 * harnesses.size();
            for (int taken = 0; taken < maxActions; taken++) {
                Optional<ServableAction> action = nextAction(name, harnesses);
                if (action.isEmpty() || !perform(harnesses, action.get())) {
                    break;
                }
            }
        }
        if (closing && streams.isEmpty()) {
            everythingUnloaded.complete(null);
        }
    }

    private Optional<ServableAction> nextAction(String name, NavigableMap<Long, LoaderHarness> harnesses) {
        List<AspiredServableStateSnapshot> snapshots = new ArrayList<>(harnesses.size());
        harnesses.values().forEach(harness -> snapshots.add(harness.snapshot()));
        try {
            return policy.nextAction(List.copyOf(snapshots));
        } catch (RuntimeException e) {
            log.error("Aspired version policy failed for stream {}; leaving it as it is", name, e);
            return Optional.empty();
        }
    }

    private boolean perform(NavigableMap<Long, LoaderHarness> harnesses, ServableAction action) {
        LoaderHarness harness = harnesses.get(action.id().version());
        if (harness == null || !harness.id().equals(action.id())) {
            log.warn("Policy asked to {} unknown servable {}; ignoring", action.action(), action.id());
            return false;
        }
        return switch (action.action()) {
            case LOAD -> startLoad(harness);
            case UNLOAD -> startUnload(harness);
        };
    }

    private boolean startLoad(LoaderHarness harness) {
        if (harness.state() != LoaderHarness.State.NEW) {
            log.warn("Policy asked to load {} which is {}; ignoring", harness.id(), harness.state());
            return false;
        }
        harness.startLoading();
        changed(harness);
        log.info("Loading servable {}", harness.id());
        submitAttempt(harness);
        return true;
    }

    private void submitAttempt(LoaderHarness harness) {
        Loader loader = harness.loader();
        try {
            loadPool.execute(() -> runLoad(harness, loader));
        } catch (RejectedExecutionException e) {
            // Only once closing has stopped the pool; the attempt fails like any other, so nothing waits for it.
            finishLoad(harness, null, ServingException.unavailable("the server is shutting down"), 0);
        }
    }

    private void finishLoad(LoaderHarness harness, Servable servable, Throwable failure, long elapsedMillis) {
        if (failure == null) {
            harness.loadSucceeded(servable);
            changed(harness);
            log.info("Servable {} is AVAILABLE (loaded in {} ms)", harness.id(), elapsedMillis);
        } else {
            loadAttemptFailed(harness, errorStatus(failure), failure, elapsedMillis);
        }
        reconcile();
    }

    /** Retries the load, starts it over with a loader handed over meanwhile, or gives up with the error. */
    private void loadAttemptFailed(LoaderHarness harness, Status error, Throwable failure, long elapsedMillis) {
        harness.attemptFailed(error);
        LoadAttempts attempts = harness.attempts();
        if (closing) {
            harness.loadFailed();
            log.info("Load of servable {} abandoned after {} ms: the server is shutting down ({})", harness.id(),
                    elapsedMillis, error.message());
        } else if (harness.aspired() && harness.startOverWithNextLoader()) {
            log.info("Load attempt of servable {} failed ({}); it was aspired with a new loader meanwhile: loading "
                    + "it again", harness.id(), error.message());
        } else if (harness.aspired() && !attempts.exhausted()) {
            harness.waitToRetry(retries.interval());
            changed(harness);
            log.warn("Servable {}: {} (the attempt took {} ms)", harness.id(), harness.health().message(), elapsedMillis);
            scheduleRetry(harness);
            return;
        } else {
            harness.loadFailed();
            log.error("Failed to load servable {} after {} ms{}: {}", harness.id(), elapsedMillis,
                    attempts.started() > 1 ? " (attempt " + attempts.started() + " of " + attempts.max() + ")" : "",
                    error.message(), failure);
        }
        changed(harness);
        if (harness.terminal() && !harness.aspired()) {
            // Nobody wants it any more (unaspired during the attempt, or closing): forget it, the monitor keeps
            // its END and error; otherwise a close would wait for it forever.
            forget(harness);
        }
    }

    private void scheduleRetry(LoaderHarness harness) {
        long generation = harness.retryGeneration();
        if (retries.interval().isZero()) {
            startRetry(harness, generation);
            return;
        }
        retryScheduler.schedule(retries.interval(), () -> runOnManagerThread(() -> {
            startRetry(harness, generation);
            reconcile();
        }));
    }

    /** The retry is due: runs it unless the version moved on meanwhile (unaspired, started over, closing). */
    private void startRetry(LoaderHarness harness, long generation) {
        if (closing || harness.state() != LoaderHarness.State.WAITING_TO_RETRY
                || harness.retryGeneration() != generation) {
            return;
        }
        harness.startRetry();
        changed(harness);
        log.info("Retrying the load of servable {} (attempt {} of {})", harness.id(), harness.attempts().started(),
                harness.attempts().max());
        submitAttempt(harness);
    }

    private boolean startUnload(LoaderHarness harness) {
        if (harness.state() != LoaderHarness.State.READY) {
            log.warn("Policy asked to unload {} which is {}; ignoring", harness.id(), harness.state());
            return false;
        }
        LoadedVersion version = harness.loaded().orElseThrow();
        harness.startUnloading();
        // Publishes a serving map without the version before the unload pool retires it (see acquire).
        changed(harness);
        log.info("Unloading servable {}", harness.id());
        unloadPool.execute(() -> runUnload(harness, version));
        return true;
    }

    private void finishUnload(LoaderHarness harness) {
        harness.unloaded();
        String name = harness.id().name();
        forget(harness);
        changed(harness);
        log.info("Unloaded servable {}", harness.id());
        List<AspiredVersion> deferred = deferredRequests.remove(name);
        if (deferred != null && !closing) {
            applyAspiredVersions(name, deferred);
        }
        reconcile();
    }

    /** Drops a version in a final state from its stream (and the stream once it is empty). */
    private void forget(LoaderHarness harness) {
        String name = harness.id().name();
        NavigableMap<Long, LoaderHarness> harnesses = streams.get(name);
        if (harnesses != null && harnesses.get(harness.id().version()) == harness) {
            harnesses.remove(harness.id().version());
            if (harnesses.isEmpty()) {
                streams.remove(name);
            }
            publish();
        }
    }

    /** Publishes the new serving map, then tells the monitor: observers never see a state ahead of the map. */
    private void changed(LoaderHarness harness) {
        publish();
        monitor.record(harness.servableState(clock.instant()));
    }

    private void publish() {
        servingMap = ServingMap.of(streams);
    }

    // ---- load and unload pools ----

    private void runLoad(LoaderHarness harness, Loader loader) {
        long started = System.nanoTime();
        Servable servable = null;
        Throwable failure = null;
        try {
            servable = loader.load();
            if (servable == null) {
                failure = new IllegalStateException("the loader returned no servable");
            }
        } catch (Throwable e) {
            // Even an Error: one broken model must not stop the manager or the other models.
            failure = e;
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Servable loaded = servable;
        Throwable cause = failure;
        if (!runOnManagerThread(() -> finishLoad(harness, loaded, cause, elapsedMillis)) && loaded != null) {
            closeQuietly(harness, loaded);
        }
    }

    private void runUnload(LoaderHarness harness, LoadedVersion version) {
        version.retire();
        try {
            if (!version.awaitDrained(drainTimeout)) {
                log.warn("Servable {} still has {} handle(s) in use after {}; closing it anyway",
                        version.id(), version.references(), drainTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while draining servable {}; closing it now", version.id());
        }
        closeQuietly(harness, version.servable());
        runOnManagerThread(() -> finishUnload(harness));
    }

    private static void closeQuietly(LoaderHarness harness, Servable servable) {
        try {
            servable.close();
        } catch (Throwable e) {
            log.error("Servable {} failed to close cleanly", harness.id(), e);
        }
    }

    /** Runs the task on the manager thread; false if the manager has stopped. */
    private boolean runOnManagerThread(Runnable task) {
        try {
            managerThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Servable manager step failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            log.debug("Servable manager has stopped; dropping a lifecycle step");
            return false;
        }
    }

    private static Status errorStatus(Throwable failure) {
        if (failure instanceof ServingException serving) {
            return serving.status();
        }
        String message = failure.getMessage();
        return Status.of(Code.UNKNOWN,
                message == null || message.isBlank() ? failure.getClass().getSimpleName() : message);
    }

    private static ExecutorService fixedPool(int threads, String name) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DaemonThreadFactory(name));
    }

    /** Options of an {@link AspiredVersionsManager}, checked as they are set. */
    public static final class Builder {

        private final ServableStateMonitor monitor;
        private AspiredVersionPolicy policy = new AvailabilityPreservingPolicy();
        private int loadThreads = 2;
        private int unloadThreads = 2;
        private Clock clock = Clock.systemUTC();
        private LoadRetries retries = LoadRetries.NONE;
        private LoadRetryScheduler retryScheduler;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        private Builder(ServableStateMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
        }

        public Builder policy(AspiredVersionPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder loadThreads(int loadThreads) {
            this.loadThreads = positive(loadThreads, "loadThreads");
            return this;
        }

        public Builder unloadThreads(int unloadThreads) {
            this.unloadThreads = positive(unloadThreads, "unloadThreads");
            return this;
        }

        /** Timestamps of the recorded states. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often failed loads are tried again ({@link LoadRetries#NONE} by default). */
        public Builder loadRetries(LoadRetries retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        /** What waits between load attempts ({@link LoadRetryScheduler#daemonThread()} by default). */
        public Builder retryScheduler(LoadRetryScheduler scheduler) {
            this.retryScheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How long an unload waits for in-flight handles before closing the version anyway. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = nonNegative(drainTimeout, "drainTimeout");
            return this;
        }

        /** How long {@link AspiredVersionsManager#close()} waits for every version to unload. */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = nonNegative(closeTimeout, "closeTimeout");
            return this;
        }

        public AspiredVersionsManager build() {
            return new AspiredVersionsManager(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        private static Duration nonNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }
    }
}
