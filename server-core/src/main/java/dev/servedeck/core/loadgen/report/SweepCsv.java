package dev.servedeck.core.loadgen.report;

import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.util.Locale;

/** A sweep as CSV, a row per level, for a spreadsheet: the console's curve export and {@code bench --sweep --csv}. */
public final class SweepCsv {

    public static final String HEADER = "concurrency,requests_per_second,rows_per_second,p50_ms,p90_ms,p99_ms,sent,"
            + "answered,ok,failed,unsent";

    private SweepCsv() {
    }

    public static String write(SweepResult sweep) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (SweepPoint point : sweep.points()) {
            csv.append(String.format(Locale.ROOT, "%d,%.1f,%.1f,%.3f,%.3f,%.3f,%d,%d,%d,%d,%d%n", point.concurrency(),
                    point.requestsPerSecond(), point.rowsPerSecond(), point.p50Micros() / 1000,
                    point.p90Micros() / 1000, point.p99Micros() / 1000, point.result().sent(),
                    point.result().answered(), point.result().ok(), point.result().failed(), point.result().unsent()));
        }
        return csv.toString();
    }
}
