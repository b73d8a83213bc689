package dev.servedeck.core.batching.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.loadgen.Latencies;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The target rule and where a step's climb ends. */
class TuningGoalTest {

    private static final TuningGoal CLOSED = TuningGoal.p99(Duration.ofMillis(20));
    private static final TuningGoal RATE_BOUND = CLOSED.withMaxRate(3000);

    private static SweepPoint point(double p99Millis, long failed, long unsent) {
        long answered = 1000;
        LoadResult result = new LoadResult("t", LoadPlan.closedLoop(4, Duration.ofSeconds(1)), 1, Duration.ofSeconds(1),
                answered, answered, answered - failed, unsent, 1000, 1000,
                new Latencies(answered, 1, 1, 1, p99Millis * 1000, p99Millis * 1000, p99Millis * 1000),
                new TreeMap<>(), new TreeMap<>(), false);
        return new SweepPoint(4, result);
    }

    @Test
    void aLevelMeetsTheTargetWithP99AtMostItAndNothingFailedOrUnsent() {
        assertThat(CLOSED.meets(point(20, 0, 0))).isTrue();
        assertThat(CLOSED.meets(point(20.1, 0, 0))).isFalse();
        assertThat(CLOSED.meets(point(5, 1, 0))).isFalse();
        assertThat(CLOSED.meets(point(5, 0, 1))).isFalse();
    }

    @Test
    void underARateBoundALevelThatOnlyFellBehindTheRateDoesNotEndTheClimb() {
        SweepPoint behind = point(400, 0, 200); // too few connections for the rate: latency from the schedule grows
        assertThat(RATE_BOUND.meets(behind)).isFalse();
        assertThat(RATE_BOUND.lastLevel(behind)).isFalse();
        assertThat(RATE_BOUND.lastLevel(point(400, 3, 200))).isTrue(); // failures end it
        assertThat(RATE_BOUND.lastLevel(point(40, 0, 0))).isTrue();
        assertThat(CLOSED.lastLevel(behind)).isTrue();
    }

    @Test
    void aRateBoundMakesEveryLevelAnOpenLoopAtThatRate() {
        assertThat(RATE_BOUND.sweepPlan().perLevel().ratePerSecond()).isEqualTo(3000);
        assertThat(CLOSED.sweepPlan().perLevel().openLoop()).isFalse();
        assertThat(RATE_BOUND.sweepPlan().plan(16).concurrency()).isEqualTo(16);
    }
}
