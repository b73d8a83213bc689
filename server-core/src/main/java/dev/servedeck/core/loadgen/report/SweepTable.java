package dev.servedeck.core.loadgen.report;

import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepProgress;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.util.Locale;
import java.util.stream.Collectors;

/** A sweep as a terminal table (one row per level) and a one-line progress. */
public final class SweepTable {

    private SweepTable() {
    }

    public static String write(SweepResult sweep) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-22s %s%n", "Target", sweep.target()));
        text.append(String.format(Locale.ROOT, "%-22s %s%s%n", "Sweep", sweep.plan().describe(),
                sweep.cancelled() ? " (cancelled)" : ""));
        text.append(String.format(Locale.ROOT, "%6s %12s %12s %10s %10s %10s %9s  %s%n", "conc", "req/s", "rows/s",
                "p50 ms", "p90 ms", "p99 ms", "answered", "errors"));
        for (SweepPoint point : sweep.points()) {
            text.append(String.format(Locale.ROOT, "%6d %,12.1f %,12.1f %10.3f %10.3f %10.3f %,9d  %s%n",
                    point.concurrency(), point.requestsPerSecond(), point.rowsPerSecond(), point.p50Micros() / 1000,
                    point.p90Micros() / 1000, point.p99Micros() / 1000, point.result().answered(), errors(point)));
        }
        return text.toString();
    }

    /** {@code c4 (level 3 of 7): measuring 43% · 7,204 req/s now · ...} */
    public static String progress(SweepProgress progress) {
        String level = String.format(Locale.ROOT, "c%d (level %d of %d)", progress.concurrency(),
                Math.min(progress.level() + 1, progress.levels()), progress.levels());
        return progress.current() == null ? level + ": connecting"
                : level + ": " + LoadResultTable.progress(progress.current());
    }

    private static String errors(SweepPoint point) {
        if (point.result().errors().isEmpty() && point.result().unsent() == 0) {
            return "0";
        }
        String byStatus = point.result().errors().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s: %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        return point.result().unsent() == 0 ? byStatus
                : byStatus + (byStatus.isEmpty() ? "" : ", ") + String.format(Locale.ROOT, "unsent: %,d",
                        point.result().unsent());
    }
}
