package dev.servedeck.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.lifecycle.LoaderHarness.State;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoaderHarnessTest {

    private static final ServableId ID = new ServableId("m", 1);
    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    private final FakeServable servable = new FakeServable("m1");
    private final Loader loader = () -> servable;
    private final LoaderHarness harness = new LoaderHarness(ID, loader, new LoadRetries(2, Duration.ofSeconds(60)));

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
        harness.attemptFailed(Status.of(Code.UNKNOWN, "corrupt model"));
        harness.loadFailed();

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
        assertThatThrownBy(() -> harness.attemptFailed(Status.of(Code.UNKNOWN, "late")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(harness::loadFailed).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(harness::startRetry).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailureNeedsAnErrorStatus() {
        harness.startLoading();

        assertThatThrownBy(() -> harness.attemptFailed(Status.OK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void betweenAttemptsItIsLoadingWithAStatusThatCountsThem() {
        harness.startLoading();
        harness.attemptFailed(Status.of(Code.NOT_FOUND, "no saved_model.pb"));
        harness.waitToRetry(Duration.ofSeconds(60));

        ServableState waiting = harness.servableState(NOW);
        assertThat(harness.state()).isEqualTo(State.WAITING_TO_RETRY);
        assertThat(waiting.state()).isEqualTo(ManagerState.LOADING);
        assertThat(waiting.health()).isEqualTo(Status.of(Code.NOT_FOUND,
                "load attempt 1 of 3 failed: no saved_model.pb; retrying in 60 s"));

        harness.startRetry();
        assertThat(harness.servableState(NOW).health()).isEqualTo(Status.of(Code.NOT_FOUND,
                "load attempt 2 of 3 in progress; attempt 1 failed: no saved_model.pb"));
        harness.attemptFailed(Status.of(Code.UNKNOWN, "truncated variables"));
        harness.waitToRetry(Duration.ofMillis(1500));
        assertThat(harness.health().message()).isEqualTo(
                "load attempt 2 of 3 failed: truncated variables; retrying in 1.5 s");

        harness.startRetry();
        harness.attemptFailed(Status.of(Code.UNKNOWN, "still truncated"));
        assertThat(harness.attempts().exhausted()).isTrue();
        harness.loadFailed();
        assertThat(harness.servableState(NOW).state()).isEqualTo(ManagerState.END);
        assertThat(harness.health()).as("END carries the last error as the loader said it")
                .isEqualTo(Status.of(Code.UNKNOWN, "still truncated"));
    }

    @Test
    void aStaleRetryCanTellItIsStale() {
        harness.startLoading();
        harness.attemptFailed(Status.of(Code.UNKNOWN, "bad"));
        harness.waitToRetry(Duration.ofSeconds(1));
        long scheduled = harness.retryGeneration();

        harness.offerLoader(() -> servable);

        assertThat(harness.retryGeneration()).isNotEqualTo(scheduled);
    }

    @Test
    void aNewLoaderStartsAFailedOrWaitingVersionOverWithFreshAttempts() {
        harness.startLoading();
        harness.attemptFailed(Status.of(Code.UNKNOWN, "half copied"));
        harness.waitToRetry(Duration.ofSeconds(60));
        assertThat(harness.offerLoader(loader)).as("the same loader changes nothing").isFalse();

        Loader fixed = () -> servable;
        assertThat(harness.offerLoader(fixed)).isTrue();
        assertThat(harness.state()).isEqualTo(State.NEW);
        assertThat(harness.loader()).isSameAs(fixed);
        assertThat(harness.health()).isEqualTo(Status.OK);
        assertThat(harness.attempts().started()).isZero();

        harness.startLoading();
        harness.attemptFailed(Status.of(Code.UNKNOWN, "still bad"));
        harness.loadFailed();
        Loader fixedAgain = () -> servable;
        assertThat(harness.offerLoader(fixedAgain)).as("even after END").isTrue();
        assertThat(harness.state()).isEqualTo(State.NEW);
    }

    @Test
    void aNewLoaderDuringAnAttemptIsUsedIfThatAttemptFails() {
        harness.startLoading();
        Loader fixed = () -> servable;
        assertThat(harness.offerLoader(fixed)).isFalse();
        assertThat(harness.loader()).isSameAs(loader);

        harness.attemptFailed(Status.of(Code.UNKNOWN, "half copied"));
        assertThat(harness.startOverWithNextLoader()).isTrue();
        assertThat(harness.state()).isEqualTo(State.NEW);
        assertThat(harness.loader()).isSameAs(fixed);
        assertThat(harness.startOverWithNextLoader()).as("used once").isFalse();
    }

    @Test
    void aLoadedVersionKeepsWhatItLoaded() {
        harness.startLoading();
        harness.loadSucceeded(servable);

        assertThat(harness.offerLoader(() -> servable)).isFalse();
        assertThat(harness.loader()).isSameAs(loader);
        assertThat(harness.state()).isEqualTo(State.READY);
    }

    @Test
    void mapsItsStatesToManagerStates() {
        assertThat(State.NEW.managerState()).isEqualTo(ManagerState.START);
        assertThat(State.LOADING.managerState()).isEqualTo(ManagerState.LOADING);
        assertThat(State.WAITING_TO_RETRY.managerState()).isEqualTo(ManagerState.LOADING);
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
