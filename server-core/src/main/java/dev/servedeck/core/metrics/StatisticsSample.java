package dev.servedeck.core.metrics;

import java.util.Optional;

/**
 * One chart point of one scope: the numbers of the statistics' short window (the last step) at one moment, as the
 * console's Monitor page draws them and the admin API streams them. The one place these numbers are computed from a
 * {@link StatisticsSnapshot}, so the console and a remote client always show the same thing.
 * {@link Double#NaN} means "no value" and is drawn as a gap: latency without requests, batch size without batches,
 * batching numbers when batching is off.
 *
 * @param timeMillis when the statistics step closed (epoch milliseconds)
 * @param errorPercent failed calls in percent of all calls (NaN without calls)
 * @param meanBatchSize real rows per batch run (every model together: the scheduler does not split it)
 * @param queuedTasks requests waiting for a batch when the step closed (every model together)
 */
public record StatisticsSample(
        long timeMillis,
        double requestsPerSecond,
        double rowsPerSecond,
        double p50Millis,
        double p95Millis,
        double p99Millis,
        double errorsPerSecond,
        double errorPercent,
        double meanBatchSize,
        double queuedTasks) {

    /** The numbers of {@code scope} in {@code snapshot}, at the snapshot's time. */
    public static StatisticsSample of(StatisticsScope scope, StatisticsSnapshot snapshot) {
        return of(snapshot.takenAt().toEpochMilli(), scope.statisticsIn(snapshot), snapshot.batching());
    }

    /** The numbers of {@code statistics} (empty: no calls lately) and of batching at {@code timeMillis}. */
    public static StatisticsSample of(long timeMillis, Optional<ServingStatistics> statistics,
            Optional<BatchingActivity> batching) {
        double batch = batching.filter(activity -> activity.batches() > 0)
                .map(BatchingActivity::meanBatchSize).orElse(Double.NaN);
        double queued = batching.map(activity -> (double) activity.queuedTasks()).orElse(Double.NaN);
        if (statistics.isEmpty()) {
            return new StatisticsSample(timeMillis, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, batch,
                    queued);
        }
        WindowStatistics window = statistics.get().shortWindow();
        double seconds = window.window().toNanos() / 1e9;
        long errors = window.errorCount();
        boolean answered = window.requests() > 0;
        return new StatisticsSample(timeMillis,
                window.requestsPerSecond(),
                window.rowsPerSecond(),
                answered ? window.p50Micros() / 1000.0 : Double.NaN,
                answered ? window.p95Micros() / 1000.0 : Double.NaN,
                answered ? window.p99Micros() / 1000.0 : Double.NaN,
                seconds > 0 ? errors / seconds : 0,
                answered ? 100.0 * errors / window.requests() : Double.NaN,
                batch,
                queued);
    }

    /** A break in the lines (the server was stopped): every value missing. */
    public static StatisticsSample gap(long timeMillis) {
        return new StatisticsSample(timeMillis, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
    }
}
