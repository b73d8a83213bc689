package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.metrics.BatchingActivity;
import dev.servedeck.core.metrics.StatisticsSample;
import dev.servedeck.core.metrics.StatisticsScope;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.proto.admin.v1.ScopeStatistics;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import java.time.Duration;

/** Live statistics as admin API messages: the console's chart numbers ({@link StatisticsSample}), scope by scope. */
final class StatisticsMessages {

    private StatisticsMessages() {
    }

    static StatisticsUpdate update(long sequence, Duration step, StatisticsSnapshot snapshot) {
        StatisticsUpdate.Builder update = StatisticsUpdate.newBuilder()
                .setSequence(sequence)
                .setTakenAt(Timestamps.of(snapshot.takenAt()))
                .setStepMillis(step.toMillis());
        for (StatisticsScope scope : StatisticsScope.allIn(snapshot)) {
            StatisticsSample sample = StatisticsSample.of(scope, snapshot);
            update.addScopes(ScopeStatistics.newBuilder()
                    .setModel(scope.model())
                    .setVersion(scope.isVersion() ? scope.version() : 0)
                    .setRequestsPerSecond(sample.requestsPerSecond())
                    .setRowsPerSecond(sample.rowsPerSecond())
                    .setP50Millis(sample.p50Millis())
                    .setP95Millis(sample.p95Millis())
                    .setP99Millis(sample.p99Millis())
                    .setErrorsPerSecond(sample.errorsPerSecond())
                    .setErrorPercent(sample.errorPercent()));
        }
        StatisticsSample overall = StatisticsSample.of(StatisticsScope.ALL, snapshot);
        snapshot.batching().ifPresent(batching -> update.setBatching(batchingOf(batching, overall)));
        return update.build();
    }

    /** Batch size and queue depth as the charts have them; batches per second from the scheduler's step. */
    private static dev.servedeck.proto.admin.v1.BatchingActivity batchingOf(BatchingActivity activity,
            StatisticsSample overall) {
        return dev.servedeck.proto.admin.v1.BatchingActivity.newBuilder()
                .setMeanBatchSize(overall.meanBatchSize())
                .setBatchesPerSecond(activity.batchesPerSecond())
                .setQueuedTasks((long) overall.queuedTasks())
                .build();
    }
}
