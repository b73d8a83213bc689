package dev.servedeck.core.batching.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.batching.BatchingOptions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The tuner's search and restore rules over {@link ModelledServer} (a server in a formula: the load engine is not
 * under test here). With a 10 ms p99 target the formula's best is max_batch_size 32 (64 only reaches the same
 * throughput within the target, at a lower concurrency), one batch thread, and any timeout up to 500 us.
 */
class BatchingTunerSearchTest {

    private static final BatchingOptions START = BatchingOptions.defaults().withMaxBatchSize(8).withNumBatchThreads(2)
            .withBatchTimeoutMicros(500).withMaxEnqueuedBatches(100);
    private static final TuningSpace SPACE = new TuningSpace(List.of(8L, 16L, 32L, 64L, 128L), List.of(1L, 2L),
            List.of(0L, 500L, 2000L));
    private static final TuningGoal GOAL = TuningGoal.p99(Duration.ofMillis(10)).withBudget(Duration.ofDays(1));

    private final ModelledServer server = new ModelledServer(START);

    private BatchingTuner tuner(TuningGoal goal) {
        return new BatchingTuner(server, server, goal, SPACE, server.clock);
    }

    @Test
    void theSearchClimbsEachParameterPrunesWhatCannotWinAndProposesTheBest() throws Exception {
        TuningResult result = tuner(GOAL).run();

        assertThat(result.ending()).isEqualTo(TuningResult.Ending.COMPLETED);
        assertThat(result.steps()).extracting(TuningStep::change).containsExactly("the parameters in force",
                "max_batch_size 16", "max_batch_size 32", "max_batch_size 64", // 64 gains nothing: 128 is never tried
                "num_batch_threads 1", // no value above 2: down to 1, which wins
                "batch_timeout_micros 2000", "batch_timeout_micros 0"); // up misses the target sooner; 0 gains < 5%
        TuningStep proposal = result.proposal().orElseThrow();
        assertThat(proposal.options()).isEqualTo(START.withMaxBatchSize(32).withNumBatchThreads(1));
        assertThat(proposal.best().orElseThrow().concurrency()).isEqualTo(32);
        assertThat(result.proposesAChange()).isTrue();
        assertThat(result.restored()).isTrue();
        assertThat(server.inForce()).isEqualTo(START);
        assertThat(server.applied.get(server.applied.size() - 1)).isEqualTo(START);
    }

    @Test
    void eachStepClimbsOnlyUntilTheTargetBreaks() throws Exception {
        TuningResult result = tuner(GOAL).run();

        TuningStep batches64 = result.steps().get(3);
        // c64 with batches of 64: p99 two runs of 7.4 ms, over the 10 ms target: the last level climbed
        assertThat(batches64.points()).extracting(point -> point.concurrency()).containsExactly(1, 2, 4, 8, 16, 32, 64);
        assertThat(GOAL.meets(batches64.points().get(6))).isFalse();
        assertThat(batches64.best().orElseThrow().concurrency()).isEqualTo(32);
        TuningStep timeout2000 = result.steps().get(5);
        assertThat(timeout2000.points()).extracting(point -> point.concurrency()).containsExactly(1, 2, 4, 8, 16, 32);
    }

    @Test
    void whenNothingBeatsTheParametersInForceByTheMarginTheProposalIsToKeepThem() throws Exception {
        BatchingOptions good = START.withMaxBatchSize(32).withNumBatchThreads(1);
        ModelledServer tuned = new ModelledServer(good);

        TuningResult result = new BatchingTuner(tuned, tuned, GOAL, SPACE, tuned.clock).run();

        assertThat(result.proposal().orElseThrow().number()).isZero();
        assertThat(result.proposesAChange()).isFalse();
        assertThat(tuned.inForce()).isEqualTo(good);
    }

    @Test
    void stoppingEndsTheSearchAndRestoresTheParameters() throws Exception {
        BatchingTuner tuner = tuner(GOAL);
        tuner.listener(new TuningListener() {
            @Override
            public void levelMeasured(int step, dev.servedeck.core.loadgen.sweep.SweepPoint point) {
                if (step == 2 && point.concurrency() == 4) {
                    tuner.stop();
                }
            }
        });

        TuningResult result = tuner.run();

        assertThat(result.ending()).isEqualTo(TuningResult.Ending.STOPPED);
        assertThat(result.steps()).hasSize(3);
        assertThat(result.steps().get(2).points()).hasSize(3); // cut short at c4
        assertThat(result.proposal().orElseThrow().change()).isEqualTo("max_batch_size 16"); // a cut step is no evidence
        assertThat(result.restored()).isTrue();
        assertThat(server.inForce()).isEqualTo(START);
    }

    @Test
    void aFailureMidwayIsReportedAndTheParametersAreRestored() throws Exception {
        server.failClimb = 2;

        TuningResult result = tuner(GOAL).run();

        assertThat(result.ending()).isEqualTo(TuningResult.Ending.FAILED);
        assertThat(result.failure()).contains("connection refused");
        assertThat(result.restored()).isTrue();
        assertThat(server.inForce()).isEqualTo(START);
    }

    @Test
    void theBudgetEndsTheSearchAndTheStepRunningClimbsNoFurther() throws Exception {
        // every level moves the clock a minute on: step 0 climbs 7 levels, step 1 only until the budget is out
        TuningResult result = tuner(GOAL.withBudget(Duration.ofMinutes(9))).run();

        assertThat(result.ending()).isEqualTo(TuningResult.Ending.BUDGET_SPENT);
        assertThat(result.steps()).hasSize(2);
        assertThat(result.steps().get(1).points()).hasSize(2);
        assertThat(server.inForce()).isEqualTo(START);
    }

    @Test
    void refusedParametersAreAStepWithTheReasonAndTheSearchGoesOn() throws Exception {
        server.refuses = options -> options.maxBatchSize() > 16;

        TuningResult result = tuner(GOAL).run();

        TuningStep refused = result.steps().get(2);
        assertThat(refused.change()).isEqualTo("max_batch_size 32");
        assertThat(refused.refused()).contains("too large here");
        assertThat(refused.points()).isEmpty();
        assertThat(result.steps().get(3).change()).isEqualTo("num_batch_threads 1");
        assertThat(result.proposal().orElseThrow().options().maxBatchSize()).isEqualTo(16);
        assertThat(server.inForce()).isEqualTo(START);
    }

    @Test
    void asManyRowsAtAClearlyLowerP99AlsoWinsAsUnderARateBound() throws Exception {
        TuningStep best = step(1000, 10);
        assertThat(BatchingTuner.beats(step(1060, 10), best)).as("6% more rows/s").isTrue();
        assertThat(BatchingTuner.beats(step(1040, 10), best)).as("4% more: noise").isFalse();
        assertThat(BatchingTuner.beats(step(980, 8.5), best)).as("as many rows/s, p99 15% lower").isTrue();
        assertThat(BatchingTuner.beats(step(1000, 9.5), best)).as("p99 5% lower: noise").isFalse();
        assertThat(BatchingTuner.beats(step(900, 5), best)).as("10% fewer rows/s, however fast").isFalse();
    }

    private static TuningStep step(double rowsPerSecond, double p99Millis) {
        var result = new dev.servedeck.core.loadgen.LoadResult("t",
                dev.servedeck.core.loadgen.LoadPlan.closedLoop(8, Duration.ofSeconds(1)), 1, Duration.ofSeconds(1),
                1000, 1000, 1000, 0, rowsPerSecond, rowsPerSecond, new dev.servedeck.core.loadgen.Latencies(1000, 1, 1,
                        1, p99Millis * 1000, p99Millis * 1000, p99Millis * 1000), new java.util.TreeMap<>(),
                new java.util.TreeMap<>(), false);
        var point = new dev.servedeck.core.loadgen.sweep.SweepPoint(8, result);
        return new TuningStep(1, START, "test", List.of(point), java.util.Optional.of(point), null);
    }

    @Test
    void aTargetNoStepMeetsGivesNoProposal() throws Exception {
        TuningResult result = tuner(TuningGoal.p99(Duration.ofMillis(1)).withBudget(Duration.ofDays(1))).run();

        assertThat(result.proposal()).isEmpty();
        assertThat(result.steps()).allSatisfy(step -> assertThat(step.points()).hasSize(1));
        assertThat(TuningReport.proposal(result)).contains("none");
        assertThat(server.inForce()).isEqualTo(START);
    }
}
