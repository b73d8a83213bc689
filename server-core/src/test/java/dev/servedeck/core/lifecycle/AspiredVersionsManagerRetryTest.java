package dev.servedeck.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableRequest;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Load retries as TF Serving's --max_num_load_retries and --load_retry_interval_micros ask, with a retry scheduler
 * the test fires by hand: the one-minute interval passes without a sleep.
 */
class AspiredVersionsManagerRetryTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration MINUTE = Duration.ofSeconds(60);
    private static final ServableId M1 = new ServableId("m", 1);

    private final ServableStateMonitor monitor = new ServableStateMonitor();
    private final List<ServableState> events = new CopyOnWriteArrayList<>();
    private final ManualRetryScheduler retries = new ManualRetryScheduler();
    private AspiredVersionsManager manager = manager(new LoadRetries(5, MINUTE));

    AspiredVersionsManagerRetryTest() {
        monitor.subscribe(events::add);
    }

    private AspiredVersionsManager manager(LoadRetries loadRetries) {
        return AspiredVersionsManager.builder(monitor).loadRetries(loadRetries).retryScheduler(retries)
                .clock(Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void failsTwiceThenLoadsAndEveryStatusInBetweenCountsTheAttempts() throws Exception {
        FlakyLoader loader = new FlakyLoader(2);
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, loader)));

        ServableState waiting = await(M1, message("load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s"));
        assertThat(waiting.state()).isEqualTo(ManagerState.LOADING);
        assertThat(waiting.health().code()).isEqualTo(Code.UNKNOWN);
        // The checks run before the retry fires: firing first let attempt 2 race the assertion on a busy machine.
        retries.awaitScheduled();
        assertThat(retries.delays()).containsExactly(MINUTE);
        assertThat(loader.attempts()).as("nothing happens until the interval passes").isEqualTo(1);
        assertThat(manager.awaitStreamsSettled(Set.of("m"), WAIT))
                .as("a version waiting to retry does not hold up a start").isTrue();
        retries.fireAll();

        await(M1, message("load attempt 2 of 6 failed: attempt 2 failed; retrying in 60 s"));
        retries.fireWhenScheduled();
        await(M1, state -> state.state() == ManagerState.AVAILABLE);

        assertThat(loader.attempts()).isEqualTo(3);
        assertThat(monitor.state(M1).orElseThrow().health().ok()).isTrue();
        assertThat(messagesOf(M1)).containsExactly("", "",
                "load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s",
                "load attempt 2 of 6 in progress; attempt 1 failed: attempt 1 failed",
                "load attempt 2 of 6 failed: attempt 2 failed; retrying in 60 s",
                "load attempt 3 of 6 in progress; attempt 2 failed: attempt 2 failed",
                "");
        try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
            assertThat(handle.servable()).isSameAs(loader.servable());
        }
    }

    @Test
    void failsForGoodAfterTheLastRetryWithTheLastError() throws Exception {
        manager.close();
        manager = manager(new LoadRetries(2, MINUTE));
        FlakyLoader loader = FlakyLoader.alwaysFailing();
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, loader)));

        await(M1, message("load attempt 1 of 3 failed: attempt 1 failed; retrying in 60 s"));
        retries.fireWhenScheduled();
        await(M1, message("load attempt 2 of 3 failed: attempt 2 failed; retrying in 60 s"));
        retries.fireWhenScheduled();
        ServableState end = await(M1, state -> state.state() == ManagerState.END);

        assertThat(end.health().code()).isEqualTo(Code.UNKNOWN);
        assertThat(end.health().message()).isEqualTo("attempt 3 failed");
        assertThat(loader.attempts()).isEqualTo(3);
        assertThat(retries.pending()).isZero();
    }

    @Test
    void aVersionNoLongerAspiredStopsRetryingAtOnce() throws Exception {
        FlakyLoader loader = FlakyLoader.alwaysFailing();
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, loader)));
        await(M1, message("load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s"));

        manager.setAspiredVersions("m", List.of());
        ServableState end = await(M1, state -> state.state() == ManagerState.END);
        retries.fireWhenScheduled();

        assertThat(end.health().message()).isEqualTo("attempt 1 failed");
        assertThat(manager.streamNames()).isEmpty();
        Thread.sleep(50); // a stale retry would reach the load pool by now
        assertThat(loader.attempts()).isEqualTo(1);
    }

    @Test
    void aNewLoaderForAFailedVersionLoadsItAgainWithFreshAttempts() throws Exception {
        manager.close();
        manager = manager(LoadRetries.NONE);
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, FlakyLoader.alwaysFailing())));
        await(M1, state -> state.state() == ManagerState.END);

        // What a source does when the version's files changed after the failure: the same version, a new loader.
        FlakyLoader fixed = new FlakyLoader(0);
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, fixed)));

        await(M1, state -> state.state() == ManagerState.AVAILABLE);
        assertThat(fixed.attempts()).isEqualTo(1);
    }

    @Test
    void aNewLoaderWhileWaitingToRetryLoadsAtOnceAndTheOldRetryNeverRuns() throws Exception {
        FlakyLoader broken = FlakyLoader.alwaysFailing();
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, broken)));
        await(M1, message("load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s"));

        FlakyLoader fixed = new FlakyLoader(0);
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, fixed)));
        await(M1, state -> state.state() == ManagerState.AVAILABLE);
        retries.fireWhenScheduled();

        Thread.sleep(50);
        assertThat(broken.attempts()).isEqualTo(1);
        assertThat(fixed.attempts()).isEqualTo(1);
        assertThat(monitor.state(M1).orElseThrow().state()).isEqualTo(ManagerState.AVAILABLE);
    }

    @Test
    void aZeroIntervalRetriesAtOnceWithoutTheScheduler() throws Exception {
        manager.close();
        manager = manager(LoadRetries.of(3, -1));
        FlakyLoader loader = new FlakyLoader(3);
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, loader)));

        await(M1, state -> state.state() == ManagerState.AVAILABLE);
        assertThat(loader.attempts()).isEqualTo(4);
        assertThat(retries.delays()).isEmpty();
        assertThat(messagesOf(M1)).contains("load attempt 1 of 4 failed: attempt 1 failed; retrying now");
    }

    @Test
    void theOldVersionServesWhileTheNewOneRetries() throws Exception {
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, new FlakyLoader(0))));
        await(M1, state -> state.state() == ManagerState.AVAILABLE);
        ServableId m2 = new ServableId("m", 2);
        manager.setAspiredVersions("m", List.of(new AspiredVersion(m2, FlakyLoader.alwaysFailing())));
        await(m2, message("load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s"));

        try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
            assertThat(handle.id()).isEqualTo(M1);
        }
        try {
            manager.acquire(ServableRequest.specific("m", 2)).close();
            throw new AssertionError("version 2 is not available");
        } catch (ServingException e) {
            assertThat(e.getMessage()).isEqualTo("Servable Specific(m, 2) is not available: it is LOADING: "
                    + "load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s");
        }
    }

    @Test
    void closingStopsRetriesAndAbandonsALoadThatCanStop() throws Exception {
        FlakyLoader waiting = FlakyLoader.alwaysFailing();
        CountDownLatch loading = new CountDownLatch(1);
        Loader slow = () -> {
            loading.countDown();
            Thread.sleep(TimeUnit.MINUTES.toMillis(10)); // a load that honours interrupts, as warmup replay does
            throw new AssertionError("never interrupted");
        };
        manager.setAspiredVersions("m", List.of(new AspiredVersion(M1, waiting)));
        manager.setAspiredVersions("n", List.of(new AspiredVersion(new ServableId("n", 1), slow)));
        await(M1, message("load attempt 1 of 6 failed: attempt 1 failed; retrying in 60 s"));
        assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        manager.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(retries.closed()).isTrue();
        assertThat(monitor.state(new ServableId("n", 1)).orElseThrow().state()).isEqualTo(ManagerState.END);
        assertThat(monitor.state(M1).orElseThrow().state()).isEqualTo(ManagerState.END);
    }

    private ServableState await(ServableId id, Predicate<ServableState> condition) throws InterruptedException {
        assertThat(monitor.awaitState(id, condition, WAIT)).as("%s reached the expected state; events: %s", id, events)
                .isTrue();
        return monitor.state(id).orElseThrow();
    }

    private static Predicate<ServableState> message(String message) {
        return state -> state.health().message().equals(message);
    }

    private List<String> messagesOf(ServableId id) {
        return events.stream().filter(e -> e.id().equals(id)).map(e -> e.health().message()).toList();
    }
}
