package dev.servedeck.core.loadgen.sweep;

import dev.servedeck.core.loadgen.LoadSnapshot;
import java.util.List;

/**
 * A sweep at one moment, for live displays (taken at a display's refresh rate, never per request).
 *
 * @param level the index of the level running (or about to), 0-based
 * @param concurrency that level's concurrency
 * @param current the level's run now, or null while its connections open or between levels
 * @param points the levels measured so far
 */
public record SweepProgress(int level, int levels, int concurrency, LoadSnapshot current, List<SweepPoint> points) {

    /** 0..1 over the whole sweep. */
    public double fraction() {
        double within = current == null ? 0 : current.progress();
        return Math.min(1, (Math.min(level, levels) + within) / levels);
    }
}
