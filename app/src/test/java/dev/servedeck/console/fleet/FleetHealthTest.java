package dev.servedeck.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The Fleet's rules for "something is wrong", as tables of states and trends. */
class FleetHealthTest {

    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    private static final List<ModelEntry> ONE_GOOD_MODEL = List.of(ModelEntry.of("m", Path.of("/m"),
            new ServableVersionPolicy.Latest(1), Map.of(), List.of(new VersionEntry(1, ManagerState.AVAILABLE, "",
                    NOON))));

    @Test
    void aRunningServerWithAvailableModelsAndNoErrorsIsWell() {
        FleetHealth.Assessment health = FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), ONE_GOOD_MODEL,
                trend(60, 100, 0));
        assertThat(health.problems()).isEmpty();
        assertThat(health.detail()).isEmpty();
    }

    @Test
    void statesSayWhatIsWrongWorstFirst() {
        assertThat(FleetHealth.assess(status(ServerStatus.State.UNREACHABLE, "connection refused"), List.of(),
                new FleetTrend())).isEqualTo(new FleetHealth.Assessment(List.of(FleetProblem.UNREACHABLE),
                        "connection refused"));
        assertThat(FleetHealth.assess(status(ServerStatus.State.FAILED, "port in use"), List.of(),
                new FleetTrend()).problems()).containsExactly(FleetProblem.FAILED);
        assertThat(FleetHealth.assess(status(ServerStatus.State.STARTING, ""), List.of(), new FleetTrend()))
                .isEqualTo(new FleetHealth.Assessment(List.of(FleetProblem.NOT_READY), "the server is starting"));

        List<ModelEntry> failedAndLoading = List.of(
                ModelEntry.of("a", Path.of("/a"), new ServableVersionPolicy.Latest(1), Map.of(), List.of(
                        new VersionEntry(1, ManagerState.LOADING, "", NOON))),
                ModelEntry.of("b", Path.of("/b"), new ServableVersionPolicy.Latest(2), Map.of(), List.of(
                        new VersionEntry(1, ManagerState.AVAILABLE, "", NOON),
                        new VersionEntry(2, ManagerState.END, "Checksum does not match", NOON))));
        FleetHealth.Assessment health = FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), failedAndLoading,
                trend(10, 50, 10));
        assertThat(health.problems()).containsExactly(FleetProblem.VERSION_FAILED, FleetProblem.NOT_READY,
                FleetProblem.ERRORS_RISING);
        assertThat(health.detail()).isEqualTo("b version 2: Checksum does not match");
        assertThat(FleetProblem.VERSION_FAILED.severity()).isEqualTo(FleetProblem.Severity.ERROR);
        assertThat(FleetProblem.NOT_READY.severity()).isEqualTo(FleetProblem.Severity.WARNING);
    }

    @Test
    void errorsRiseWhenTheLastTenSecondsFailMoreThanTheMinuteBefore() {
        FleetTrend trend = new FleetTrend();
        for (int i = 0; i < 60; i++) {
            trend.add(100, 5, 0.5); // 0.5% failing: below the 1% share, noise
        }
        assertThat(FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), ONE_GOOD_MODEL, trend).problems())
                .isEmpty();
        for (int i = 0; i < 10; i++) {
            trend.add(100, 5, 4); // 4% failing now
        }
        FleetHealth.Assessment rising = FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), ONE_GOOD_MODEL,
                trend);
        assertThat(rising.problems()).containsExactly(FleetProblem.ERRORS_RISING);
        assertThat(rising.detail()).isEqualTo("4.0 failed calls/s over the last 10 s (4% of calls), 0.5/s the minute"
                + " before");
    }

    @Test
    void steadyErrorsAreStillErrorsButNotRising() {
        FleetHealth.Assessment steady = FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), ONE_GOOD_MODEL,
                trend(70, 100, 5));
        assertThat(steady.problems()).containsExactly(FleetProblem.ERRORS);
        assertThat(steady.detail()).isEqualTo("5.0 failed calls/s over the last 10 s (5% of calls)");
    }

    @Test
    void gapsAreNoNumbersAndAFewFailuresInLittleTrafficAreNoise() {
        FleetTrend gaps = new FleetTrend();
        for (int i = 0; i < 20; i++) {
            gaps.addGap();
        }
        assertThat(FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), ONE_GOOD_MODEL, gaps).problems())
                .isEmpty();
        assertThat(FleetHealth.assess(status(ServerStatus.State.RUNNING, ""), ONE_GOOD_MODEL, trend(10, 0.5, 0.05))
                .problems()).as("under 0.1 failed calls/s").isEmpty();
    }

    @Test
    void theTrendKeepsTheLastFiveMinutesOldestFirst() {
        FleetTrend trend = new FleetTrend();
        for (int i = 0; i < FleetTrend.CAPACITY + 5; i++) {
            trend.add(i, i, 0);
        }
        double[] requests = trend.requestsPerSecond();
        assertThat(requests).hasSize(FleetTrend.CAPACITY);
        assertThat(requests[0]).isEqualTo(5);
        assertThat(requests[FleetTrend.CAPACITY - 1]).isEqualTo(FleetTrend.CAPACITY + 4);
    }

    private static FleetTrend trend(int points, double requests, double errors) {
        FleetTrend trend = new FleetTrend();
        for (int i = 0; i < points; i++) {
            trend.add(requests, 3, errors);
        }
        return trend;
    }

    private static ServerStatus status(ServerStatus.State state, String message) {
        return new ServerStatus(state, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), 1, 1, 0, 0, message);
    }
}
