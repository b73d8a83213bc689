package dev.servedeck.console.kit;

import dev.servedeck.console.backend.Subscription;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one clock for periodic work: the status bar's second, the Batching page's live numbers, the
 * Monitor's statistics sampling, the Logs page's drain. One named daemon thread for all of them, so the
 * console's idle cost is one thread and a page cannot forget to stop its own timer.
 *
 * <p>{@link #everyOnFx} runs a page's refresh on the FX thread, coalesced: when the FX thread is behind, a
 * tick that finds the previous update still queued queues nothing. {@link #every} runs on the scheduler's
 * thread, for reads that should not cost the FX thread (a sampler takes its snapshot there and posts only what
 * changed). A task that throws is logged and keeps its schedule (a plain scheduled executor would silently
 * cancel it).
 */
public final class RefreshScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshScheduler.class);

    private final Executor ui;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread refresh = new Thread(runnable, "servedeck-console-refresh");
        refresh.setDaemon(true); // never keeps the JVM alive: close() stops it with the console anyway
        return refresh;
    });

    public RefreshScheduler(Executor ui) {
        this.ui = ui;
    }

    /** Runs {@code update} on the FX thread every {@code period}, the first time after one period. */
    public Subscription everyOnFx(Duration period, Runnable update) {
        return every(period, new FxCoalescer(ui, update));
    }

    /** Runs {@code task} on the scheduler's thread every {@code period}, the first time after one period. */
    public Subscription every(Duration period, Runnable task) {
        return schedule(period, period, task);
    }

    /** As {@link #every}, the first time at once. */
    public Subscription everyFromNow(Duration period, Runnable task) {
        return schedule(Duration.ZERO, period, task);
    }

    private Subscription schedule(Duration first, Duration period, Runnable task) {
        ScheduledFuture<?> scheduled = thread.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("A periodic console task failed; it runs again next period", e);
            }
        }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return () -> scheduled.cancel(false);
    }

    /** The scheduler's thread, for short background work of a page (writing an exported chart). */
    public Executor executor() {
        return thread;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
