package dev.servedeck.core;

/**
 * The model runs of one batch size, phase by phase (the protocol's {@code InferBatchStatistics}); each phase's count
 * is the number of runs of that size.
 */
public record BatchSizeStatistics(long batchSize, DurationStatistic computeInput, DurationStatistic computeInfer,
        DurationStatistic computeOutput) {
}
