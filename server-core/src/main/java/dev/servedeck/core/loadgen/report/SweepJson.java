package dev.servedeck.core.loadgen.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepResult;

/**
 * A sweep as JSON: the levels asked for and, per level run, its concurrency and the same object a single run
 * writes ({@link LoadResultJson}), so a script reads a sweep's points as it reads bench results.
 */
public final class SweepJson {

    private SweepJson() {
    }

    public static String write(SweepResult sweep) {
        ObjectNode root = LoadResultJson.object();
        root.put("target", sweep.target());
        ArrayNode levels = root.putArray("levels");
        sweep.plan().levels().forEach(levels::add);
        root.put("cancelled", sweep.cancelled());
        root.put("stopped_early", sweep.stoppedEarly());
        ArrayNode points = root.putArray("points");
        for (SweepPoint point : sweep.points()) {
            ObjectNode entry = points.addObject();
            entry.put("concurrency", point.concurrency());
            entry.setAll(LoadResultJson.node(point.result()));
        }
        return LoadResultJson.text(root);
    }
}
