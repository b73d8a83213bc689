package dev.servedeck.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyWarmUpTest {

    @Test
    void aRateStillRisingMoreThanFivePercentKeepsWarming() {
        assertFalse(SteadyWarmUp.stoppedClimbing(List.of(8_000.0, 17_000.0, 26_000.0, 31_000.0, 40_000.0, 50_000.0)));
        // The run before last stayed flat, the last one climbed 7%: not yet two flat runs in a row.
        assertFalse(SteadyWarmUp.stoppedClimbing(List.of(8_000.0, 20_000.0, 24_000.0, 26_000.0, 25_000.0, 27_800.0)));
    }

    @Test
    void twoRunsInARowNoBetterThanFivePercentOverTheBestBeforeAreSteady() {
        assertTrue(SteadyWarmUp.stoppedClimbing(List.of(8_000.0, 17_000.0, 22_000.0, 26_000.0, 27_000.0, 26_500.0)));
        assertTrue(SteadyWarmUp.stoppedClimbing(List.of(8_000.0, 17_000.0, 20_000.0, 31_000.0, 24_000.0,
                30_000.0)));
    }

    @Test
    void oneDipInTheMiddleOfAClimbDoesNotEndIt() {
        // The batching-on gRPC warm-up of 2026-11-26 went 5.7k, 13.8k, 22.5k, then a neighbour's burst: 19.1k.
        assertFalse(SteadyWarmUp.stoppedClimbing(List.of(5_714.0, 13_771.0, 22_462.0, 19_110.0, 21_000.0,
                29_090.0)));
    }

    @Test
    void fewerThanSixRunsAreNeverSteady() {
        assertFalse(SteadyWarmUp.stoppedClimbing(List.of()));
        assertFalse(SteadyWarmUp.stoppedClimbing(List.of(30_000.0, 30_000.0, 30_000.0, 30_000.0, 30_000.0)));
        // The batching-off warm-up that stopped too early with fewer runs: 2.4k, 4.0k, 3.3k, 3.8k.
        assertFalse(SteadyWarmUp.stoppedClimbing(List.of(2_382.0, 3_994.0, 3_321.0, 3_788.0)));
    }

    @Test
    void warmingRunsUntilTheClimbStopsAndRecordsTheTrajectory() throws Exception {
        Deque<Double> rates = new ArrayDeque<>(List.of(8_000.0, 17_000.0, 26_000.0, 31_000.0, 30_500.0, 31_200.0,
                1.0));
        SteadyWarmUp warmUp = new SteadyWarmUp(Duration.ofSeconds(4), 12);

        SteadyWarmUp.Trajectory trajectory = warmUp.warm("rest", length -> rates.removeFirst());

        assertEquals(List.of(8_000.0, 17_000.0, 26_000.0, 31_000.0, 30_500.0, 31_200.0), trajectory.rates());
        assertTrue(trajectory.steady());
        assertEquals(List.of(trajectory), warmUp.all());
    }

    @Test
    void theCapEndsAClimbThatNeverLevelsOff() throws Exception {
        double[] rate = {1_000.0};
        SteadyWarmUp warmUp = new SteadyWarmUp(Duration.ofSeconds(4), 7);

        SteadyWarmUp.Trajectory trajectory = warmUp.warm("grpc", length -> rate[0] *= 2);

        assertEquals(7, trajectory.rates().size());
        assertFalse(trajectory.steady());
    }

    @Test
    void zeroRunsSwitchWarmingOff() throws Exception {
        SteadyWarmUp warmUp = new SteadyWarmUp(Duration.ofSeconds(4), 0);

        SteadyWarmUp.Trajectory trajectory = warmUp.warm("off", length -> {
            throw new AssertionError("no run expected");
        });

        assertEquals(List.of(), trajectory.rates());
    }
}
