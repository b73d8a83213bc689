package dev.servedeck.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ServableStateMonitorTest {

    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    private final ServableStateMonitor monitor = new ServableStateMonitor();

    @Test
    void keepsTheLatestStatePerVersionIncludingEnd() {
        monitor.record(state("m", 1, ManagerState.LOADING));
        monitor.record(state("m", 1, ManagerState.AVAILABLE));
        monitor.record(state("m", 2, ManagerState.START));
        monitor.record(state("other", 7, ManagerState.END));

        assertThat(monitor.state(new ServableId("m", 1))).map(ServableState::state).contains(ManagerState.AVAILABLE);
        assertThat(monitor.state(new ServableId("m", 3))).isEmpty();
        assertThat(monitor.versionStates("m")).containsOnlyKeys(1L, 2L);
        assertThat(monitor.versionStates("unknown")).isEmpty();
        assertThat(monitor.allStates()).containsOnlyKeys("m", "other");
        assertThat(monitor.allStates().get("other").get(7L).state()).isEqualTo(ManagerState.END);
    }

    @Test
    void aWaitShowsOverNothingAnEndOrAnotherWaitAndOnlyWhenItsReasonChanges() {
        List<ServableState> events = new CopyOnWriteArrayList<>();
        monitor.subscribe(events::add);
        ServableId id = new ServableId("m", 2);

        assertThat(monitor.recordWaiting(id, "waiting for variables/variables.index", NOW)).isTrue();
        assertThat(monitor.recordWaiting(id, "waiting for variables/variables.index", NOW.plusSeconds(1))).isFalse();
        assertThat(monitor.recordWaiting(id, "waiting for assets/vocab.txt", NOW.plusSeconds(2))).isTrue();

        assertThat(events).extracting(state -> state.health().message())
                .containsExactly("waiting for variables/variables.index", "waiting for assets/vocab.txt");
        ServableState waiting = monitor.state(id).orElseThrow();
        assertThat(waiting.state()).isEqualTo(ManagerState.START);
        assertThat(waiting.health().code()).isEqualTo(Code.OK);
        assertThat(waiting.waiting()).isTrue();
        assertThat(waiting.failed()).isFalse();

        monitor.record(state("m", 3, ManagerState.END));
        assertThat(monitor.recordWaiting(new ServableId("m", 3), "waiting for saved_model.pb", NOW)).isTrue();
    }

    @Test
    void aWaitNeverHidesAVersionTheManagerHolds() {
        ServableId id = new ServableId("m", 2);
        for (ManagerState held : List.of(ManagerState.START, ManagerState.LOADING, ManagerState.AVAILABLE,
                ManagerState.UNLOADING)) {
            monitor.record(new ServableState(id, held, Status.OK, NOW));

            assertThat(monitor.recordWaiting(id, "waiting for saved_model.pb", NOW)).isFalse();
            monitor.endWaiting(id, NOW);

            assertThat(monitor.state(id).map(ServableState::state)).contains(held);
            assertThat(monitor.state(id).map(ServableState::waiting)).contains(false);
        }
    }

    @Test
    void anEndedWaitIsAnEndWithoutAnError() {
        ServableId id = new ServableId("m", 2);
        monitor.recordWaiting(id, "waiting for saved_model.pb", NOW);

        monitor.endWaiting(id, NOW.plusSeconds(1));
        monitor.endWaiting(id, NOW.plusSeconds(2));

        assertThat(monitor.state(id)).hasValueSatisfying(state -> {
            assertThat(state.state()).isEqualTo(ManagerState.END);
            assertThat(state.failed()).isFalse();
            assertThat(state.time()).isEqualTo(NOW.plusSeconds(1));
        });
    }

    @Test
    void returnsCopies() {
        monitor.record(state("m", 1, ManagerState.START));
        var before = monitor.versionStates("m");

        monitor.record(state("m", 2, ManagerState.START));

        assertThat(before).containsOnlyKeys(1L);
    }

    @Test
    void notifiesSubscribersInOrderAndSurvivesAFailingOne() throws Exception {
        List<ManagerState> seen = new CopyOnWriteArrayList<>();
        monitor.subscribe(state -> {
            throw new IllegalStateException("listener bug");
        });
        AutoCloseable subscription = monitor.subscribe(state -> seen.add(state.state()));

        monitor.record(state("m", 1, ManagerState.START));
        monitor.record(state("m", 1, ManagerState.LOADING));
        subscription.close();
        monitor.record(state("m", 1, ManagerState.AVAILABLE));

        assertThat(seen).containsExactly(ManagerState.START, ManagerState.LOADING);
        assertThat(monitor.state(new ServableId("m", 1))).map(ServableState::state).contains(ManagerState.AVAILABLE);
    }

    @Test
    void awaitStateReturnsAtOnceWhenAlreadyThere() throws Exception {
        monitor.record(state("m", 1, ManagerState.AVAILABLE));

        assertThat(monitor.awaitState(new ServableId("m", 1), s -> s.state() == ManagerState.AVAILABLE, Duration.ZERO))
                .isTrue();
    }

    @Test
    void awaitStateWaitsForALaterChange() throws Exception {
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> result = waiter.submit(() -> monitor.awaitState(
                    new ServableId("m", 1), s -> s.state() == ManagerState.END, Duration.ofSeconds(5)));
            monitor.record(state("m", 1, ManagerState.LOADING));
            monitor.record(state("m", 1, ManagerState.END));

            assertThat(result.get()).isTrue();
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void awaitStateTimesOut() throws Exception {
        monitor.record(state("m", 1, ManagerState.LOADING));

        assertThat(monitor.awaitState(new ServableId("m", 1), s -> s.state() == ManagerState.AVAILABLE,
                Duration.ofMillis(20))).isFalse();
    }

    @Test
    void forgetsARemovedModel() {
        monitor.record(new ServableState(new ServableId("m", 1), ManagerState.END, Status.of(Code.UNKNOWN, "x"), NOW));

        monitor.forget("m");

        assertThat(monitor.versionStates("m")).isEmpty();
        assertThat(monitor.allStates()).isEmpty();
    }

    private static ServableState state(String name, long version, ManagerState state) {
        return new ServableState(new ServableId(name, version), state, Status.OK, NOW);
    }
}
