package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.BatchSizeStatistics;
import dev.servedeck.core.DurationStatistic;
import dev.servedeck.core.ModelRun;
import dev.servedeck.core.VersionStatistics;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.RunPhases;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The statistics extension's counters: what each event adds, where, and what bounds them. */
class InferenceStatisticsTest {

    private static final ServableId V1 = new ServableId("m", 1);
    private static final ServableId V2 = new ServableId("m", 2);

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final InferenceStatistics statistics = new InferenceStatistics(clock);

    @Test
    void callsRunsAndQueueWaitsAddUpPerVersion() {
        statistics.record(call(V1, Code.OK, 1_000, 3));
        statistics.record(call(V1, Code.OK, 2_000, 1));
        statistics.record(call(V1, Code.INVALID_ARGUMENT, 500, 0));
        statistics.record(new ModelRun(V1, "Predict", 4, new RunPhases(10, 100, 20)));
        statistics.dequeued("pool", V1, 300);
        statistics.dequeued("pool", V1, 200);
        statistics.record(call(V2, Code.OK, 7_000, 1));

        VersionStatistics one = statistics.of(V1);
        assertThat(one.success()).isEqualTo(new DurationStatistic(2, 3_000));
        assertThat(one.fail()).isEqualTo(new DurationStatistic(1, 500));
        assertThat(one.inferenceCount()).isEqualTo(4);
        assertThat(one.executionCount()).isEqualTo(1);
        assertThat(one.queue()).isEqualTo(new DurationStatistic(2, 500));
        assertThat(one.computeInput()).isEqualTo(new DurationStatistic(1, 10));
        assertThat(one.computeInfer()).isEqualTo(new DurationStatistic(1, 100));
        assertThat(one.computeOutput()).isEqualTo(new DurationStatistic(1, 20));
        assertThat(one.batches()).containsExactly(new BatchSizeStatistics(4, new DurationStatistic(1, 10),
                new DurationStatistic(1, 100), new DurationStatistic(1, 20)));
        assertThat(one.lastInferenceMillis()).isEqualTo(clock.millis());
        assertThat(statistics.of(V2).success()).isEqualTo(new DurationStatistic(1, 7_000));
        assertThat(statistics.of(V2).executionCount()).isZero();
    }

    @Test
    void aCallThatFailedBeforeAVersionWasChosenIsNoVersionsFailure() {
        statistics.record(call(new ServableId("m", CompletedRequest.UNKNOWN_VERSION), Code.NOT_FOUND, 10, 0));
        assertThat(statistics.of(new ServableId("m", CompletedRequest.UNKNOWN_VERSION)))
                .isEqualTo(VersionStatistics.none(new ServableId("m", CompletedRequest.UNKNOWN_VERSION)));
    }

    @Test
    void batchSizesAreListedInOrderUpToTheBound() {
        for (long size = InferenceStatistics.MAX_BATCH_SIZES + 10; size >= 1; size--) {
            statistics.record(new ModelRun(V1, "Predict", size, RunPhases.inferOnly(1)));
        }
        VersionStatistics one = statistics.of(V1);
        assertThat(one.executionCount()).isEqualTo(InferenceStatistics.MAX_BATCH_SIZES + 10);
        assertThat(one.computeInfer().count()).isEqualTo(InferenceStatistics.MAX_BATCH_SIZES + 10);
        assertThat(one.batches()).hasSize(InferenceStatistics.MAX_BATCH_SIZES);
        assertThat(one.batches()).extracting(BatchSizeStatistics::batchSize).isSorted();
    }

    @Test
    void aVersionThatEndsIsForgottenAndStartsFromZeroWhenLoadedAgain() {
        statistics.record(call(V1, Code.OK, 1_000, 1));
        statistics.record(call(V2, Code.OK, 1_000, 1));
        statistics.stateChanged(new ServableState(V1, ManagerState.UNLOADING, Status.of(Code.OK, ""), clock.instant()));
        assertThat(statistics.of(V1).success().count()).isEqualTo(1);
        statistics.stateChanged(new ServableState(V1, ManagerState.END, Status.of(Code.OK, ""), clock.instant()));
        assertThat(statistics.of(V1)).isEqualTo(VersionStatistics.none(V1));
        assertThat(statistics.of(V2).success().count()).isEqualTo(1);
    }

    private static CompletedRequest call(ServableId id, Code status, long nanos, long rows) {
        return new CompletedRequest(id.name(), id.version(), "serving_default", "Predict", "REST", status, nanos, rows,
                0);
    }
}
