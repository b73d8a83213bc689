package dev.servedeck.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.lifecycle.LoaderHarness.State;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoaderHarnessTest {

    private static final ServableId ID = new ServableId("m", 1);
    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    private final FakeServable servable = new FakeServable("m1");
    private final LoaderHarness harness = new LoaderHarness(ID, () -> servable);

    @Test
    void goesThroughTheWholeLife() {
        assertThat(harness.state()).isEqualTo(State.NEW);
        assertThat(harness.aspired()).isTrue();

        harness.startLoading();
        assertThat(harness.state()).isEqualTo(State.LOADING);

        harness.loadSucceeded(servable);
        assertThat(harness.state()).isEqualTo(State.READY);
        assertThat(harness.loaded()).hasValueSatisfying(loaded -> assertThat(loaded.servable()).isSameAs(servable));

        harness.startUnloading();
        assertThat(harness.state()).isEqualTo(State.UNLOADING);

        harness.unloaded();
        assertThat(harness.state()).isEqualTo(State.DISABLED);
        assertThat(harness.terminal()).isTrue();
        assertThat(harness.loaded()).isEmpty();
        assertThat(harness.health()).isEqualTo(Status.OK);
    }

    @Test
    void keepsTheLoadErrorAsData() {
        harness.startLoading();
        harness.loadFailed(Status.of(Code.UNKNOWN, "corrupt model"));

        assertThat(harness.state()).isEqualTo(State.ERROR);
        assertThat(harness.terminal()).isTrue();
        ServableState state = harness.servableState(NOW);
        assertThat(state.state()).isEqualTo(ManagerState.END);
        assertThat(state.failed()).isTrue();
        assertThat(state.health().message()).isEqualTo("corrupt model");
    }

    @Test
    void aNewVersionCanBeCancelled() {
        harness.cancel();

        assertThat(harness.state()).isEqualTo(State.DISABLED);
        assertThat(harness.servableState(NOW).state()).isEqualTo(ManagerState.END);
        assertThat(harness.servableState(NOW).failed()).isFalse();
    }

    @Test
    void rejectsTransitionsOutOfOrder() {
        assertThatThrownBy(harness::startUnloading).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot move to UNLOADING from NEW");
        assertThatThrownBy(() -> harness.loadSucceeded(servable)).isInstanceOf(IllegalStateException.class);

        harness.startLoading();
        assertThatThrownBy(harness::startLoading).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(harness::cancel).isInstanceOf(IllegalStateException.class);

        harness.loadSucceeded(servable);
        assertThatThrownBy(harness::unloaded).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> harness.loadFailed(Status.of(Code.UNKNOWN, "late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailureNeedsAnErrorStatus() {
        harness.startLoading();

        assertThatThrownBy(() -> harness.loadFailed(Status.OK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsItsStatesToManagerStates() {
        assertThat(State.NEW.managerState()).isEqualTo(ManagerState.START);
        assertThat(State.LOADING.managerState()).isEqualTo(ManagerState.LOADING);
        assertThat(State.READY.managerState()).isEqualTo(ManagerState.AVAILABLE);
        assertThat(State.UNLOADING.managerState()).isEqualTo(ManagerState.UNLOADING);
        assertThat(State.DISABLED.managerState()).isEqualTo(ManagerState.END);
        assertThat(State.ERROR.managerState()).isEqualTo(ManagerState.END);
    }

    @Test
    void snapshotCarriesTheAspiredFlag() {
        harness.setAspired(false);

        assertThat(harness.snapshot()).isEqualTo(new AspiredServableStateSnapshot(ID, ManagerState.START, false));
    }
}
