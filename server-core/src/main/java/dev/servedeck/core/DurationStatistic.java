package dev.servedeck.core;

/**
 * A cumulative duration: how many times something happened and how long it took in all (the Open Inference
 * Protocol's {@code StatisticDuration}).
 */
public record DurationStatistic(long count, long nanos) {

    public static final DurationStatistic NONE = new DurationStatistic(0, 0);
}
