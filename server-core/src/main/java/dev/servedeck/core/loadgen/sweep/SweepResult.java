package dev.servedeck.core.loadgen.sweep;

import java.util.List;

/**
 * What a sweep measured: a point per level it ran, in order.
 *
 * @param target where the load went (the first level's target; empty when no level ran)
 * @param cancelled the sweep was cancelled: the last point may be a level cut short, and later levels did not run
 * @param stoppedEarly a stop rule (the tuner's latency target) ended the sweep before its last level
 */
public record SweepResult(String target, SweepPlan plan, List<SweepPoint> points, boolean cancelled,
        boolean stoppedEarly) {

    public SweepResult {
        points = List.copyOf(points);
    }
}
