package dev.servedeck.console.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.testing.DirectExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The kit's parts without a toolkit: listeners, coalescing, the refresh clock, late answers, failures. */
class KitTest {

    private final List<Runnable> fxQueue = new ArrayList<>();

    @Test
    void aListenerThatThrowsDoesNotSilenceTheOthersAndClosingRemovesOnlyItsOwn() {
        ListenerList<String> listeners = new ListenerList<>();
        List<String> heard = new ArrayList<>();
        listeners.add(news -> {
            throw new IllegalStateException("a broken page");
        });
        Consumer first = new Consumer(heard, "a");
        Subscription one = listeners.add(first);
        Subscription two = listeners.add(first);

        listeners.fire("started");
        one.close();
        one.close();
        listeners.fire("stopped");
        two.close();
        listeners.fire("gone");

        assertThat(heard).containsExactly("a:started", "a:started", "a:stopped");
        assertThat(listeners.size()).isEqualTo(1);
    }

    private record Consumer(List<String> heard, String name) implements java.util.function.Consumer<String> {
        @Override
        public void accept(String news) {
            heard.add(name + ":" + news);
        }
    }

    @Test
    void aBurstOfRequestsCostsOneUpdateAndNewsDuringTheUpdateAsksForAnother() {
        AtomicInteger updates = new AtomicInteger();
        FxCoalescer[] coalescer = new FxCoalescer[1];
        coalescer[0] = new FxCoalescer(fxQueue::add, () -> {
            if (updates.incrementAndGet() == 1) {
                coalescer[0].run(); // news while the update runs
            }
        });
        for (int i = 0; i < 1_000; i++) {
            coalescer[0].run();
        }
        assertThat(fxQueue).hasSize(1);
        runFx();
        assertThat(updates.get()).isEqualTo(1);
        assertThat(fxQueue).hasSize(1);
        runFx();
        assertThat(updates.get()).isEqualTo(2);
        assertThat(fxQueue).isEmpty();
    }

    @Test
    void theRefreshSchedulerQueuesNoSecondUpdateWhileTheFxThreadIsBehindAndSurvivesAThrowingTask()
            throws Exception {
        CountDownLatch ticks = new CountDownLatch(5);
        AtomicInteger thrown = new AtomicInteger(); // ticks run, the first of which throws
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        try (RefreshScheduler scheduler = new RefreshScheduler(queued::add)) {
            Subscription fx = scheduler.everyOnFx(Duration.ofMillis(5), () -> { });
            scheduler.every(Duration.ofMillis(5), () -> {
                int tick = thrown.incrementAndGet(); // counted before the latch lets the test go on
                ticks.countDown();
                if (tick == 1) {
                    throw new IllegalStateException("one bad tick");
                }
            });
            assertThat(ticks.await(5, TimeUnit.SECONDS)).isTrue();
            // The "FX thread" ran nothing meanwhile: however many ticks passed, one update waits.
            assertThat(queued).hasSize(1);
            fx.close();
        }
        assertThat(thrown.get()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aCallThatThrowsIsAFailedOperationNotACrash() {
        OperationState operation = new OperationState(new DirectExecutor());
        CompletableFuture<Void> shown = operation.run("Loading", () -> {
            throw new IllegalStateException("not connected");
        }, ignored -> "loaded", "Could not load: ");

        assertThat(shown).isDone();
        assertThat(operation.failureProperty().get()).isEqualTo("Could not load: not connected");
        assertThat(operation.isBusy()).isFalse();
    }

    @Test
    void aFailureCarriesTheServersMessageNotTheWrapper() {
        OperationState operation = new OperationState(new DirectExecutor());
        operation.run("Removing", () -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalArgumentException("no model named 'x'");
        }), ignored -> "removed", "Could not remove x: ").join();

        assertThat(operation.failureProperty().get()).isEqualTo("Could not remove x: no model named 'x'");
    }

    @Test
    void cancellingDropsTheAnswerInFlight() {
        LatestAnswer<String> reads = new LatestAnswer<>(fxQueue::add);
        CompletableFuture<String> answer = new CompletableFuture<>();
        List<String> shown = new ArrayList<>();
        reads.ask(() -> answer, shown::add, error -> shown.add("failed"));
        assertThat(reads.isLoading()).isTrue();

        reads.cancel();
        answer.complete("late");
        runFx();

        assertThat(shown).isEmpty();
        assertThat(reads.isLoading()).isFalse();
    }

    private void runFx() {
        List<Runnable> queued = new ArrayList<>(fxQueue);
        fxQueue.clear();
        queued.forEach(Runnable::run);
    }
}
