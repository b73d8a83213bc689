package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.kit.RefreshScheduler;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Monitor's only feed: on its own thread it reads the server's latest statistics snapshot (one field
 * read) every {@code period}, and hands each new snapshot to the FX thread in one update. Charts never see
 * single requests.
 *
 * <p>The server publishes a snapshot per statistics step; polling at half the step sees each one once, and
 * a tick whose snapshot is the one already delivered posts nothing. If the FX thread has not yet run the
 * previous update, no second one is queued: the pending one delivers the newest snapshot when it runs.
 * It runs on the console's {@link RefreshScheduler}, whose thread also writes exported charts.
 */
public final class StatisticsSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatisticsSampler.class);

    private final Supplier<Optional<StatisticsSnapshot>> statistics;
    private final Executor ui;
    private final Duration period;
    private Subscription sampling = () -> { };
    private final AtomicReference<StatisticsSnapshot> newest = new AtomicReference<>();
    private final AtomicBoolean updatePending = new AtomicBoolean();
    private StatisticsSnapshot lastSeen;

    public StatisticsSampler(Supplier<Optional<StatisticsSnapshot>> statistics, Executor ui, Duration period) {
        this.statistics = statistics;
        this.ui = ui;
        this.period = period;
    }

    /** Starts sampling on {@code scheduler}'s thread; {@code onSnapshot} is called on the FX thread with each new snapshot. */
    public void start(RefreshScheduler scheduler, Consumer<StatisticsSnapshot> onSnapshot) {
        sampling = scheduler.everyFromNow(period, () -> tick(onSnapshot));
    }

    /** One tick: read one snapshot; if it is new, post one FX update (unless one is still pending). */
    void tick(Consumer<StatisticsSnapshot> onSnapshot) {
        try {
            StatisticsSnapshot snapshot = statistics.get().orElse(null);
            if (snapshot == null || snapshot == lastSeen) {
                return;
            }
            lastSeen = snapshot;
            newest.set(snapshot);
            if (updatePending.compareAndSet(false, true)) {
                ui.execute(() -> {
                    updatePending.set(false);
                    onSnapshot.accept(newest.get());
                });
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep sampling.
            LOG.warn("Sampling the statistics failed", e);
        }
    }

    @Override
    public void close() {
        sampling.close();
    }
}
