package dev.servedeck.core.source;

import dev.servedeck.core.lifecycle.AspiredVersion;
import dev.servedeck.core.lifecycle.AspiredVersionsCallback;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.lifecycle.ServableStateMonitor;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code base_path/<version>/} folders of the configured models and tells the target which
 * versions to serve (TF Serving's FileSystemStoragePathSource).
 *
 * <p>Version folders are the children of the base path named by digits only ({@code 00000123} is
 * version 123). A folder is aspired only once its {@link VersionReadiness} finds it complete (checked while
 * its files are not changing, see {@link VersionDirectory}), so a model that is still being copied, or whose
 * copy paused, is never loaded half-written; the model's {@link ServableVersionPolicy} picks among the
 * complete versions. A version the policy would pick that is not complete shows in the state monitor as a
 * {@link ServableState#waiting} state saying what it waits for, and is looked at again at the next poll.
 * The target hears a model's aspired set only when it changed, and at the first poll after every
 * {@link #updateConfig}. A missing base path is logged once and leaves the target with what it had.
 *
 * <p>Threads: {@link #start()} runs one named daemon poller thread; {@link #pollOnce()} may also be called
 * from any thread. Polls and configuration updates are serialised by one lock, so the target receives a
 * model's aspired sets in order.
 */
public final class FileSystemStoragePathSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileSystemStoragePathSource.class);

    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(1);

    private final Function<Path, Loader> loaderFactory;
    private final VersionReadiness readiness;
    private final AspiredVersionsCallback target;
    private final ServableStateMonitor monitor;
    private final Duration pollInterval;
    private final Clock clock;
    private final Duration quietPeriod;

    private final Object lock = new Object();
    private final Map<String, ModelWatch> watches = new TreeMap<>();
    private ScheduledExecutorService poller;
    private boolean closed;

    /**
     * @param loaderFactory makes the loader of a version, given its folder; called once per version while
     *     it stays aspired
     * @param readiness tells whether a version folder is complete
     * @param monitor where versions waiting to be complete are shown (the manager's own state monitor)
     */
    public FileSystemStoragePathSource(Function<Path, Loader> loaderFactory, VersionReadiness readiness,
            AspiredVersionsCallback target, ServableStateMonitor monitor, Duration pollInterval, Clock clock) {
        this(loaderFactory, readiness, target, monitor, pollInterval, clock, DEFAULT_QUIET_PERIOD);
    }

    /** @param quietPeriod how long a folder seen for the first time must have been unchanged to be checked at once */
    public FileSystemStoragePathSource(Function<Path, Loader> loaderFactory, VersionReadiness readiness,
            AspiredVersionsCallback target, ServableStateMonitor monitor, Duration pollInterval, Clock clock,
            Duration quietPeriod) {
        this.loaderFactory = Objects.requireNonNull(loaderFactory, "loaderFactory");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.target = Objects.requireNonNull(target, "target");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.quietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        if (quietPeriod.isNegative()) {
            throw new IllegalArgumentException("quietPeriod must not be negative, got " + quietPeriod);
        }
    }

    /**
     * Replaces the watched models, then polls at once. Models left out get an empty aspired set (they
     * unload); a model whose policy or base path changed is re-evaluated by that poll.
     */
    public void updateConfig(List<MonitoredModel> models) {
        Map<String, MonitoredModel> byName = new TreeMap<>();
        for (MonitoredModel model : models) {
            if (byName.put(model.name(), model) != null) {
                throw new IllegalArgumentException("Model " + model.name() + " is configured twice");
            }
        }
        synchronized (lock) {
            Set<String> removed = new HashSet<>(watches.keySet());
            removed.removeAll(byName.keySet());
            for (String name : removed) {
                ModelWatch watch = watches.remove(name);
                log.info("Model {} is no longer configured; unloading all its versions", name);
                tellTarget(name, List.of());
                Instant now = clock.instant();
                watch.waiting().keySet().forEach(version -> monitor.endWaiting(new ServableId(name, version), now));
            }
            byName.forEach((name, model) -> watches.computeIfAbsent(name, n -> new ModelWatch(model)).reconfigure(model));
        }
        pollOnce();
    }

    /** Looks at every model's base path once and tells the target about changed aspired sets. */
    public void pollOnce() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            for (ModelWatch watch : watches.values()) {
                poll(watch, now);
            }
        }
    }

    /**
     * True while some model has a version folder that was still changing at the last poll: it will be
     * checked, and aspired if complete, once a later poll finds it unchanged. Lets a server wait for folders
     * written just before it started (a folder that is quiet but incomplete is not waited for).
     */
    public boolean hasUnstableVersions() {
        synchronized (lock) {
            return watches.values().stream().anyMatch(ModelWatch::hasUnstableVersions);
        }
    }

    /** The time between two polls: what a folder must stay unchanged for to be checked for completeness. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Starts polling every poll interval on a daemon thread of its own (the first poll one interval from now). */
    public void start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The file system source is closed");
            }
            if (poller != null) {
                throw new IllegalStateException("The file system source is already started");
            }
            poller = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "servedeck-fs-poller");
                // A daemon: the server's shutdown closes the source; a forgotten one must not keep the JVM up.
                thread.setDaemon(true);
                return thread;
            });
            long intervalNanos = pollInterval.toNanos();
            poller.scheduleWithFixedDelay(this::pollLoggingFailures, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops polling; the target keeps the versions it has. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (poller != null) {
                poller.shutdownNow();
            }
        }
    }

    private void pollLoggingFailures() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; keep polling.
            log.error("File system poll failed", e);
        }
    }

    private void poll(ModelWatch watch, Instant now) {
        try {
            ModelWatch.PollResult result = watch.poll(now, quietPeriod, readiness, loaderFactory);
            result.waiting().forEach((version, reason) ->
                    monitor.recordWaiting(new ServableId(watch.name(), version), reason, now));
            result.change().ifPresent(change -> {
                log.info("Model {}: aspiring versions {}", watch.name(), change.versions());
                if (tellTarget(watch.name(), change.aspired())) {
                    watch.published(change.versions());
                }
            });
            result.endedWaits().forEach(version -> monitor.endWaiting(new ServableId(watch.name(), version), now));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not poll the versions of model {}: {}", watch.name(), e.toString());
        }
    }

    private boolean tellTarget(String name, List<AspiredVersion> versions) {
        try {
            target.setAspiredVersions(name, versions);
            return true;
        } catch (RuntimeException e) {
            log.error("Target rejected the aspired versions of model {}", name, e);
            return false;
        }
    }
}
