package dev.servedeck.core.loadgen.report;

import dev.servedeck.core.loadgen.Latencies;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadSnapshot;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A run's result as text for a terminal, and a one-line progress for live snapshots. */
public final class LoadResultTable {

    private LoadResultTable() {
    }

    public static String write(LoadResult result) {
        StringBuilder text = new StringBuilder();
        Latencies l = result.latency();
        line(text, "Target", result.target());
        line(text, "Load", result.plan().describe());
        line(text, "Measured", String.format(Locale.ROOT, "%.2f s", result.measured().toNanos() / 1e9));
        line(text, "Requests", String.format(Locale.ROOT, "%,d sent, %,d answered, %,d ok, %,d failed%s",
                result.sent(), result.answered(), result.ok(), result.failed(),
                result.unsent() > 0 ? String.format(Locale.ROOT, ", %,d unsent (the server fell behind the rate)",
                        result.unsent()) : ""));
        line(text, "Throughput", String.format(Locale.ROOT, "%,.1f req/s, %,.1f rows/s (%d row%s per request)",
                result.requestsPerSecond(), result.rowsPerSecond(), result.rowsPerRequest(),
                result.rowsPerRequest() == 1 ? "" : "s"));
        line(text, "Latency", String.format(Locale.ROOT, "%-10s %-10s %-10s %-10s %-10s %-10s", "p50", "p90",
                "p99", "p99.9", "max", "mean"));
        line(text, result.coordinatedOmissionCorrected() ? "(from intended send)" : "",
                String.format(Locale.ROOT, "%-10s %-10s %-10s %-10s %-10s %-10s", ms(l.p50Micros()),
                        ms(l.p90Micros()), ms(l.p99Micros()), ms(l.p999Micros()), ms(l.maxMicros()),
                        ms(l.meanMicros())));
        line(text, "Statuses", statuses(result.statuses()));
        if (!result.errors().isEmpty()) {
            line(text, "Errors", statuses(result.errors()));
        }
        return text.toString();
    }

    /** {@code measuring 43% · 7,204 req/s now · p50 0.95 ms p99 2.10 ms · 0 failed · backlog 0} */
    public static String progress(LoadSnapshot snapshot) {
        return String.format(Locale.ROOT, "%s %3.0f%% · %,.0f req/s now · p50 %s p99 %s · %,d answered, %,d failed%s",
                snapshot.phase().name().toLowerCase(Locale.ROOT).replace('_', ' '), snapshot.progress() * 100,
                snapshot.recentRequestsPerSecond(), ms(snapshot.recent().p50Micros()),
                ms(snapshot.recent().p99Micros()), snapshot.answered(), snapshot.failed(),
                snapshot.backlog() > 0 ? String.format(Locale.ROOT, " · backlog %,d", snapshot.backlog()) : "");
    }

    private static String statuses(Map<String, Long> counts) {
        return counts.isEmpty() ? "(none)" : counts.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s: %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000);
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-22s %s%n", label, value));
    }
}
