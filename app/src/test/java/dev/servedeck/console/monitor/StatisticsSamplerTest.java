package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.metrics.StatisticsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The sampler posts one FX update per new snapshot, never queues a second one, and runs on its own thread. */
class StatisticsSamplerTest {

    private final AtomicReference<Optional<StatisticsSnapshot>> current = new AtomicReference<>(Optional.empty());
    private final List<Runnable> fxQueue = new ArrayList<>();
    private final List<StatisticsSnapshot> delivered = new ArrayList<>();

    @Test
    void aNewSnapshotIsPostedOnceAndARepeatedOneNotAtAll() {
        try (StatisticsSampler sampler = new StatisticsSampler(current::get, fxQueue::add, Duration.ofMillis(250))) {
            sampler.tick(delivered::add); // no server: nothing
            assertThat(fxQueue).isEmpty();

            StatisticsSnapshot first = Snapshots.at().step(0);
            current.set(Optional.of(first));
            sampler.tick(delivered::add);
            sampler.tick(delivered::add); // the same snapshot
            assertThat(fxQueue).hasSize(1);
            runFx();
            assertThat(delivered).containsExactly(first);
        }
    }

    @Test
    void aBusyFxThreadGetsOneUpdateWithTheNewestSnapshot() {
        try (StatisticsSampler sampler = new StatisticsSampler(current::get, fxQueue::add, Duration.ofMillis(250))) {
            for (int step = 0; step < 3; step++) {
                current.set(Optional.of(Snapshots.at().step(step)));
                sampler.tick(delivered::add);
            }
            assertThat(fxQueue).hasSize(1);
            runFx();
            assertThat(delivered).extracting(StatisticsSnapshot::takenAt).containsExactly(Snapshots.at().step(2).takenAt());
        }
    }

    @Test
    void samplesOnANamedDaemonThread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong step = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch ticks = new java.util.concurrent.CountDownLatch(3);
        try (StatisticsSampler sampler = new StatisticsSampler(() -> {
            threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
            return Optional.of(Snapshots.at().step(step.getAndIncrement())); // a new snapshot every time
        }, Runnable::run, Duration.ofMillis(10));
                dev.servedeck.console.kit.RefreshScheduler scheduler =
                        new dev.servedeck.console.kit.RefreshScheduler(Runnable::run)) {
            sampler.start(scheduler, snapshot -> ticks.countDown());
            assertThat(ticks.await(5, TimeUnit.SECONDS)).isTrue();
        }
        // The console's one refresh thread: sampling costs no thread of its own.
        assertThat(threads).isNotEmpty().allMatch(name -> name.equals("servedeck-console-refresh daemon"));
    }

    private void runFx() {
        List<Runnable> queued = new ArrayList<>(fxQueue);
        fxQueue.clear();
        queued.forEach(Runnable::run);
    }
}
