package dev.servedeck.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableRequest;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AspiredVersionsManagerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final ServableStateMonitor monitor = new ServableStateMonitor();
    private final List<ServableState> events = new CopyOnWriteArrayList<>();
    private final ExecutorService testThreads = Executors.newCachedThreadPool();
    private AspiredVersionsManager manager = newManager(AspiredVersionsManager.builder(monitor));

    AspiredVersionsManagerTest() {
        monitor.subscribe(events::add);
    }

    private static AspiredVersionsManager newManager(AspiredVersionsManager.Builder builder) {
        return builder.clock(CLOCK).build();
    }

    @AfterEach
    void closeManager() {
        manager.close();
        testThreads.shutdownNow();
    }

    @Test
    void loadsAnAspiredVersionAndServesIt() throws Exception {
        FakeLoader loader = FakeLoader.succeeding("m1");

        manager.setAspiredVersions("m", List.of(aspired("m", 1, loader)));
        awaitState("m", 1, ManagerState.AVAILABLE);

        try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
            assertThat(handle.id()).isEqualTo(new ServableId("m", 1));
            assertThat(handle.servable()).isSameAs(loader.servable());
        }
        try (ServableHandle handle = manager.acquire(ServableRequest.specific("m", 1))) {
            assertThat(handle.id().version()).isEqualTo(1);
        }
        assertThat(statesOf("m", 1)).containsExactly(ManagerState.START, ManagerState.LOADING, ManagerState.AVAILABLE);
        assertThat(events).allSatisfy(event -> assertThat(event.time()).isEqualTo(CLOCK.instant()));
        assertThat(manager.availableVersions("m")).containsExactly(1L);
        assertThat(manager.streamNames()).containsExactly("m");
        assertThat(loader.loadCount()).isEqualTo(1);
    }

    @Test
    void swapKeepsAVersionAvailableAtEveryMoment() throws Exception {
        FakeLoader v1 = FakeLoader.succeeding("m1");
        FakeLoader v2 = FakeLoader.gated("m2");
        manager.setAspiredVersions("m", List.of(aspired("m", 1, v1)));
        awaitState("m", 1, ManagerState.AVAILABLE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        Set<Long> versionsServed = ConcurrentHashMap.newKeySet();
        Future<?> requests = testThreads.submit(() -> {
            while (!stop.get()) {
                try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
                    versionsServed.add(handle.id().version());
                    assertThat(handle.servable()).isNotNull();
                } catch (ServingException e) {
                    failures.incrementAndGet();
                }
            }
        });

        awaitServed(versionsServed, 1L);
        manager.setAspiredVersions("m", List.of(aspired("m", 2, v2)));
        assertThat(v2.awaitStarted()).isTrue();
        assertThat(manager.availableVersions("m")).containsExactly(1L);
        v2.release();
        awaitState("m", 1, ManagerState.END);
        awaitServed(versionsServed, 2L);
        stop.set(true);
        requests.get(5, TimeUnit.SECONDS);

        assertThat(failures).hasValue(0);
        assertThat(versionsServed).contains(1L, 2L);
        assertThat(v1.servable().closeCount()).isEqualTo(1);
        assertThat(v2.servable().closed()).isFalse();
        assertThat(manager.availableVersions("m")).containsExactly(2L);
        assertThat(indexOf(2, ManagerState.AVAILABLE)).isLessThan(indexOf(1, ManagerState.UNLOADING));
    }

    @Test
    void unloadWaitsForAnInFlightHandle() throws Exception {
        FakeLoader loader = FakeLoader.succeeding("m1");
        manager.setAspiredVersions("m", List.of(aspired("m", 1, loader)));
        awaitState("m", 1, ManagerState.AVAILABLE);
        ServableHandle inFlight = manager.acquire(ServableRequest.latest("m"));

        manager.setAspiredVersions("m", List.of());
        awaitState("m", 1, ManagerState.UNLOADING);

        assertThatThrownBy(() -> manager.acquire(ServableRequest.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
        assertThat(monitor.awaitState(new ServableId("m", 1), is(ManagerState.END), Duration.ofMillis(150))).isFalse();
        assertThat(loader.servable().closed()).isFalse();

        inFlight.close();
        inFlight.close();
        awaitState("m", 1, ManagerState.END);
        assertThat(loader.servable().closeCount()).isEqualTo(1);
        assertThat(manager.streamNames()).isEmpty();
        assertThatThrownBy(inFlight::servable).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unloadClosesAnywayAfterTheDrainTimeout() throws Exception {
        manager.close();
        manager = newManager(AspiredVersionsManager.builder(monitor).drainTimeout(Duration.ofMillis(50)));
        FakeLoader loader = FakeLoader.succeeding("m1");
        manager.setAspiredVersions("m", List.of(aspired("m", 1, loader)));
        awaitState("m", 1, ManagerState.AVAILABLE);
        ServableHandle leaked = manager.acquire(ServableRequest.latest("m"));

        manager.setAspiredVersions("m", List.of());

        awaitState("m", 1, ManagerState.END);
        assertThat(loader.servable().closeCount()).isEqualTo(1);
        leaked.close();
    }

    @Test
    void aFailingLoaderEndsWithItsErrorAndOtherModelsAreFine() throws Exception {
        manager.setAspiredVersions("broken", List.of(aspired("broken", 1, FakeLoader.failing(new IOException("corrupt model")))));
        manager.setAspiredVersions("fine", List.of(aspired("fine", 1, FakeLoader.succeeding("fine1"))));

        awaitState("fine", 1, ManagerState.AVAILABLE);
        ServableState failed = awaitState("broken", 1, ManagerState.END);

        assertThat(failed.failed()).isTrue();
        assertThat(failed.health().code()).isEqualTo(Code.UNKNOWN);
        assertThat(failed.health().message()).isEqualTo("corrupt model");
        assertThat(statesOf("broken", 1)).containsExactly(ManagerState.START, ManagerState.LOADING, ManagerState.END);
        assertThatThrownBy(() -> manager.acquire(ServableRequest.specific("broken", 1)))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
                    assertThat(e).hasMessage("Servable Specific(broken, 1) is not available: it failed to load: corrupt model");
                });
        try (ServableHandle handle = manager.acquire(ServableRequest.latest("fine"))) {
            assertThat(handle.id()).isEqualTo(new ServableId("fine", 1));
        }
    }

    @Test
    void catchesErrorsAndRuntimeExceptionsAndKeepsServingExceptionCodes() throws Exception {
        manager.setAspiredVersions("m", List.of(
                aspired("m", 1, FakeLoader.failing(new AssertionError("native crash"))),
                aspired("m", 2, FakeLoader.failing(new IllegalStateException())),
                aspired("m", 3, FakeLoader.failing(ServingException.invalidArgument("bad signature"))),
                aspired("m", 4, () -> null)));

        assertThat(awaitState("m", 1, ManagerState.END).health().message()).isEqualTo("native crash");
        assertThat(awaitState("m", 2, ManagerState.END).health().message()).isEqualTo("IllegalStateException");
        ServableState invalid = awaitState("m", 3, ManagerState.END);
        assertThat(invalid.health().code()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(invalid.health().message()).isEqualTo("bad signature");
        assertThat(awaitState("m", 4, ManagerState.END).health().message()).contains("no servable");

        FakeLoader healthy = FakeLoader.succeeding("m5");
        manager.setAspiredVersions("m", List.of(aspired("m", 5, healthy)));
        awaitState("m", 5, ManagerState.AVAILABLE);
    }

    @Test
    void aFailedNewVersionKeepsTheOldOneServing() throws Exception {
        manager.setAspiredVersions("m", List.of(aspired("m", 1, FakeLoader.succeeding("m1"))));
        awaitState("m", 1, ManagerState.AVAILABLE);

        manager.setAspiredVersions("m", List.of(aspired("m", 2, FakeLoader.failing(new IOException("bad v2")))));
        awaitState("m", 2, ManagerState.END);

        try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
            assertThat(handle.id().version()).isEqualTo(1);
        }
        assertThat(monitor.state(new ServableId("m", 1))).map(ServableState::state).contains(ManagerState.AVAILABLE);
    }

    @Test
    void acquireErrorsSayWhatIsWrong() throws Exception {
        FakeLoader v2 = FakeLoader.gated("m2");
        manager.setAspiredVersions("m", List.of(aspired("m", 2, v2)));
        awaitState("m", 2, ManagerState.LOADING);

        assertThatThrownBy(() -> manager.acquire(ServableRequest.latest("nope")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("Servable not found for request: Latest(nope)");
        assertThatThrownBy(() -> manager.acquire(ServableRequest.specific("m", 7)))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("Servable not found for request: Specific(m, 7)");
        assertThatThrownBy(() -> manager.acquire(ServableRequest.specific("m", 2)))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE))
                .hasMessage("Servable Specific(m, 2) is not available: it is LOADING");
        assertThatThrownBy(() -> manager.acquire(ServableRequest.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE))
                .hasMessageStartingWith("Servable Latest(m) is not available: no version is AVAILABLE")
                .hasMessageContaining("version 2: it is LOADING");
        v2.release();
    }

    @Test
    void loadsDifferentVersionsInParallel() throws Exception {
        FakeLoader v1 = FakeLoader.gated("m1");
        FakeLoader v2 = FakeLoader.gated("m2");

        manager.setAspiredVersions("m", List.of(aspired("m", 1, v1), aspired("m", 2, v2)));

        assertThat(v1.awaitStarted()).isTrue();
        assertThat(v2.awaitStarted()).isTrue();
        v1.release();
        v2.release();
        awaitState("m", 1, ManagerState.AVAILABLE);
        awaitState("m", 2, ManagerState.AVAILABLE);
        assertThat(manager.availableVersions("m")).containsExactly(1L, 2L);
        try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
            assertThat(handle.id().version()).isEqualTo(2);
        }
    }

    @Test
    void anUnaspiredVersionThatNeverStartedIsDropped() throws Exception {
        manager.close();
        AspiredVersionPolicy neverLoads = versions -> Optional.empty();
        manager = newManager(AspiredVersionsManager.builder(monitor).policy(neverLoads));
        FakeLoader loader = FakeLoader.succeeding("m1");
        manager.setAspiredVersions("m", List.of(aspired("m", 1, loader)));
        awaitState("m", 1, ManagerState.START);

        manager.setAspiredVersions("m", List.of());

        ServableState end = awaitState("m", 1, ManagerState.END);
        assertThat(end.failed()).isFalse();
        assertThat(loader.loadCount()).isZero();
        assertThat(manager.streamNames()).isEmpty();
    }

    @Test
    void aFailedVersionIsForgottenByTheManagerWhenUnaspiredButTheMonitorKeepsTheError() throws Exception {
        manager.setAspiredVersions("m", List.of(aspired("m", 1, FakeLoader.failing(new IOException("bad")))));
        awaitState("m", 1, ManagerState.END);
        assertThat(manager.streamNames()).containsExactly("m");

        manager.setAspiredVersions("m", List.of());
        manager.setAspiredVersions("other", List.of(aspired("other", 1, FakeLoader.succeeding("o1"))));
        awaitState("other", 1, ManagerState.AVAILABLE);

        assertThat(manager.streamNames()).containsExactly("other");
        assertThat(monitor.state(new ServableId("m", 1))).hasValueSatisfying(state -> assertThat(state.failed()).isTrue());
        assertThatThrownBy(() -> manager.acquire(ServableRequest.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND));
    }

    @Test
    void aVersionReaspiredWhileUnloadingLoadsAgainAfterwards() throws Exception {
        manager.setAspiredVersions("m", List.of(aspired("m", 1, FakeLoader.succeeding("first"))));
        awaitState("m", 1, ManagerState.AVAILABLE);
        ServableHandle inFlight = manager.acquire(ServableRequest.latest("m"));
        manager.setAspiredVersions("m", List.of());
        awaitState("m", 1, ManagerState.UNLOADING);

        FakeLoader second = FakeLoader.succeeding("second");
        manager.setAspiredVersions("m", List.of(aspired("m", 1, second)));
        inFlight.close();

        awaitEvents(events -> events.stream().filter(e -> e.state() == ManagerState.AVAILABLE).count() == 2);
        try (ServableHandle handle = manager.acquire(ServableRequest.latest("m"))) {
            assertThat(handle.servable()).isSameAs(second.servable());
        }
        assertThat(statesOf("m", 1)).containsExactly(ManagerState.START, ManagerState.LOADING, ManagerState.AVAILABLE,
                ManagerState.UNLOADING, ManagerState.END,
                ManagerState.START, ManagerState.LOADING, ManagerState.AVAILABLE);
    }

    @Test
    void closeUnloadsEverythingAndDrainsInFlightHandles() throws Exception {
        FakeLoader a = FakeLoader.succeeding("a1");
        FakeLoader b1 = FakeLoader.succeeding("b1");
        FakeLoader b2 = FakeLoader.succeeding("b2");
        manager.setAspiredVersions("a", List.of(aspired("a", 1, a)));
        manager.setAspiredVersions("b", List.of(aspired("b", 1, b1), aspired("b", 2, b2)));
        awaitState("a", 1, ManagerState.AVAILABLE);
        awaitState("b", 1, ManagerState.AVAILABLE);
        awaitState("b", 2, ManagerState.AVAILABLE);
        ServableHandle inFlight = manager.acquire(ServableRequest.latest("a"));

        Future<?> closing = testThreads.submit(manager::close);
        awaitState("a", 1, ManagerState.UNLOADING);
        assertThat(closing.isDone()).isFalse();
        assertThat(a.servable().closed()).isFalse();
        inFlight.close();
        closing.get(5, TimeUnit.SECONDS);

        assertThat(List.of(a, b1, b2)).allSatisfy(loader -> assertThat(loader.servable().closeCount()).isEqualTo(1));
        assertThat(monitor.allStates().values()).allSatisfy(versions -> assertThat(versions.values())
                .allSatisfy(state -> assertThat(state.state()).isEqualTo(ManagerState.END)));
        assertThat(indexOf("b", 1, ManagerState.UNLOADING)).isLessThan(indexOf("b", 2, ManagerState.UNLOADING));
        assertThat(manager.streamNames()).isEmpty();
        assertThatThrownBy(() -> manager.acquire(ServableRequest.latest("a"))).isInstanceOf(ServingException.class);

        manager.setAspiredVersions("a", List.of(aspired("a", 9, FakeLoader.succeeding("late"))));
        assertThat(monitor.state(new ServableId("a", 9))).isEmpty();
    }

    @Test
    void rejectsVersionsOfAnotherStream() {
        assertThatThrownBy(() -> manager.setAspiredVersions("m", List.of(aspired("other", 1, FakeLoader.succeeding("x")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesItsThreadsAndMakesThemDaemons() throws Exception {
        List<Thread> loadThreads = new CopyOnWriteArrayList<>();
        manager.setAspiredVersions("m", List.of(aspired("m", 1, () -> {
            loadThreads.add(Thread.currentThread());
            return new FakeServable("m1");
        })));
        awaitState("m", 1, ManagerState.AVAILABLE);

        assertThat(loadThreads).singleElement().satisfies(thread -> {
            assertThat(thread.getName()).startsWith("servedeck-load-");
            assertThat(thread.isDaemon()).isTrue();
        });
    }

    private static AspiredVersion aspired(String name, long version, Loader loader) {
        return new AspiredVersion(new ServableId(name, version), loader);
    }

    private static Predicate<ServableState> is(ManagerState state) {
        return s -> s.state() == state;
    }

    private ServableState awaitState(String name, long version, ManagerState state) throws InterruptedException {
        ServableId id = new ServableId(name, version);
        assertThat(monitor.awaitState(id, is(state), WAIT)).as("%s reaches %s", id, state).isTrue();
        return monitor.state(id).orElseThrow();
    }

    private void awaitEvents(Predicate<List<ServableState>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.test(events)) {
            assertThat(System.nanoTime()).as("events reached the expected condition in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private List<ManagerState> statesOf(String name, long version) {
        List<ManagerState> states = new ArrayList<>();
        events.stream().filter(e -> e.id().equals(new ServableId(name, version))).forEach(e -> states.add(e.state()));
        return states;
    }

    private int indexOf(long version, ManagerState state) {
        return indexOf("m", version, state);
    }

    private int indexOf(String name, long version, ManagerState state) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).id().equals(new ServableId(name, version)) && events.get(i).state() == state) {
                return i;
            }
        }
        throw new AssertionError("no " + state + " event for " + name + " " + version + " in " + events);
    }

    /** The request thread may not have run yet (2 shared cores): give it a moment to serve {@code version}. */
    private static void awaitServed(Set<Long> served, long version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!served.contains(version) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
