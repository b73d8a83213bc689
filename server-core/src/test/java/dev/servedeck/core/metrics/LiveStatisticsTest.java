package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.batching.QueueDepth;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.Code;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rolling windows stepped by hand: no sleeps, no threads. */
class LiveStatisticsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final LiveStatistics statistics = new LiveStatistics(new LiveStatisticsOptions(Duration.ofSeconds(1), 3), clock);

    @Test
    void shortWindowIsTheLastIntervalAndLongWindowSumsTheRing() {
        record("m", 1, 100, Code.OK, 10);
        record("m", 1, 200, Code.OK, 10);
        statistics.roll();
        for (int i = 1; i <= 100; i++) {
            record("m", 2, i * 10L, Code.OK, 1);
        }
        record("m", 2, 50, Code.NOT_FOUND, 0);
        StatisticsSnapshot snapshot = statistics.roll();

        WindowStatistics lastSecond = snapshot.models().get("m").shortWindow();
        assertThat(lastSecond.window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(lastSecond.requests()).isEqualTo(101);
        assertThat(lastSecond.requestsPerSecond()).isEqualTo(101);
        assertThat(lastSecond.rows()).isEqualTo(100);
        assertThat((double) lastSecond.p50Micros()).isCloseTo(500, within(10.0));
        assertThat((double) lastSecond.p99Micros()).isCloseTo(990, within(20.0));
        assertThat(lastSecond.errors()).containsExactly(Map.entry(Code.NOT_FOUND, 1L));

        WindowStatistics longWindow = snapshot.models().get("m").longWindow();
        assertThat(longWindow.window()).as("only two intervals so far").isEqualTo(Duration.ofSeconds(2));
        assertThat(longWindow.requests()).isEqualTo(103);
        assertThat(longWindow.rows()).isEqualTo(120);
        assertThat(longWindow.rowsPerSecond()).isEqualTo(60);
        assertThat(snapshot.versions().get(new ServableId("m", 1)).longWindow().requests()).isEqualTo(2);
        assertThat(snapshot.versions().get(new ServableId("m", 2)).shortWindow().requests()).isEqualTo(101);
        assertThat(snapshot.overall().longWindow().requests()).isEqualTo(103);
    }

    @Test
    void oldIntervalsLeaveTheLongWindowAndIdleKeysAreForgotten() {
        record("m", 1, 100, Code.OK, 1);
        statistics.roll();
        record("m", 1, 100, Code.OK, 1);
        statistics.roll();
        statistics.roll();
        assertThat(statistics.snapshot().models().get("m").longWindow().requests()).isEqualTo(2);
        statistics.roll();
        assertThat(statistics.snapshot().models().get("m").longWindow().requests())
                .as("the first interval fell out of the 3-interval window").isEqualTo(1);
        assertThat(statistics.snapshot().models().get("m").shortWindow().requests()).isZero();
        statistics.roll();
        assertThat(statistics.snapshot().models()).isEmpty();
        assertThat(statistics.snapshot().versions()).isEmpty();
        assertThat(statistics.snapshot().overall().longWindow().requests()).isZero();
    }

    @Test
    void failuresBeforeAVersionWasChosenCountForTheModelOnly() {
        record("m", CompletedRequest.UNKNOWN_VERSION, 10, Code.NOT_FOUND, 0);
        StatisticsSnapshot snapshot = statistics.roll();
        assertThat(snapshot.models().get("m").shortWindow().errorCount()).isEqualTo(1);
        assertThat(snapshot.versions()).isEmpty();
    }

    @Test
    void snapshotsAreImmutableAndReadWithoutRolling() {
        StatisticsSnapshot first = statistics.roll();
        record("m", 1, 10, Code.OK, 1);
        assertThat(statistics.snapshot()).isSameAs(first);
        assertThat(first.models()).isEmpty();
        assertThat(statistics.roll()).isNotSameAs(first);
    }

    @Test
    void batchingIsTheDifferenceBetweenTwoStepsOfTheSchedulersStatistics() {
        assertThat(statistics.roll().batching()).as("batching off").isEmpty();
        AtomicReference<BatchingStats> scheduler = new AtomicReference<>(batchingStats(10, 40, 0));
        statistics.watchBatching(scheduler::get);
        scheduler.set(batchingStats(14, 72, 5));

        BatchingActivity lastSecond = statistics.roll().batching().orElseThrow();

        assertThat(lastSecond.batches()).isEqualTo(4);
        assertThat(lastSecond.rows()).isEqualTo(32);
        assertThat(lastSecond.meanBatchSize()).isEqualTo(8);
        assertThat(lastSecond.batchesPerSecond()).isEqualTo(4);
        assertThat(lastSecond.queuedTasks()).isEqualTo(5);
        assertThat(lastSecond.queuedRows()).isEqualTo(7);
        assertThat(statistics.roll().batching().orElseThrow().meanBatchSize()).as("no batch in the step").isZero();
    }

    private static BatchingStats batchingStats(long batches, long rows, int queuedTasks) {
        SortedMap<String, QueueDepth> queued = new TreeMap<>();
        if (queuedTasks > 0) {
            queued.put("a", new QueueDepth(queuedTasks - 1, 5));
            queued.put("b", new QueueDepth(1, 2));
        }
        return new BatchingStats(batches, batches, rows, 0, new TreeMap<>(), queued, Duration.ZERO,
                Duration.ZERO, 0, 0, 0);
    }

    private void record(String model, long version, long micros, Code status, long rows) {
        statistics.record(new CompletedRequest(model, version, "serving_default", "Predict", "REST", status,
                micros * 1_000, rows, 0));
    }
}
