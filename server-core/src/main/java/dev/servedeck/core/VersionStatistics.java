package dev.servedeck.core;

import dev.servedeck.core.servable.ServableId;
import java.util.List;

/**
 * Everything one model version has done since it loaded, cumulative (the protocol's {@code ModelStatistics}).
 *
 * @param lastInferenceMillis when the last inference call on it finished, in milliseconds since the epoch (0: none)
 * @param inferenceCount rows answered by successful calls (a request of 8 rows adds 8)
 * @param executionCount model runs (a batch of 8 one-row requests adds 1)
 * @param success successful inference calls and their whole duration, front end to answer
 * @param fail failed inference calls that reached this version, and their duration
 * @param queue requests (or pieces of split requests) that waited for a batch, and how long
 * @param computeInput model runs, and the time their inputs took to become TensorFlow tensors
 * @param computeInfer model runs, and the time in TensorFlow's graph run
 * @param computeOutput model runs, and the time their outputs took to become TensorProtos again
 * @param batches the same three phases by batch size, smallest first
 */
public record VersionStatistics(ServableId id, long lastInferenceMillis, long inferenceCount, long executionCount,
        DurationStatistic success, DurationStatistic fail, DurationStatistic queue, DurationStatistic computeInput,
        DurationStatistic computeInfer, DurationStatistic computeOutput, List<BatchSizeStatistics> batches) {

    /** A version that has served nothing yet. */
    public static VersionStatistics none(ServableId id) {
        return new VersionStatistics(id, 0, 0, 0, DurationStatistic.NONE, DurationStatistic.NONE,
                DurationStatistic.NONE, DurationStatistic.NONE, DurationStatistic.NONE, DurationStatistic.NONE,
                List.of());
    }
}
