package dev.servedeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The whole run as one Markdown document: printed to the console and written to results.md. */
final class ResultsTable {

    private final StringBuilder markdown = new StringBuilder("# ServeDeck benchmark\n");

    ResultsTable machine(Map<String, String> facts) {
        MarkdownTable table = new MarkdownTable("machine", "value");
        facts.forEach(table::row);
        return section("Machine", "", table);
    }

    ResultsTable floor(List<FloorResult> floors) {
        MarkdownTable table = new MarkdownTable("model", "calls", "p50", "p99", "calls/s", "rows/s");
        for (FloorResult floor : floors) {
            table.row(floor.model(), String.format("%,d", floor.calls()), Format.micros(floor.p50Micros()),
                    Format.micros(floor.p99Micros()), Format.rate(floor.callsPerSecond()),
                    Format.rate(floor.rowsPerSecond()));
        }
        return section("In-process floor", "TensorFlow Java called directly: SavedModelBundle + session.runner(), "
                + "batch 1, one thread, after warm-up. No HTTP, no JSON.", table);
    }

    ResultsTable http(List<HttpLoadResult> results) {
        MarkdownTable table = new MarkdownTable("server", "model", "load", "req/s", "rows/s", "p50", "p99",
                "non-2xx", "socket errors", "req/s vs baseline");
        for (HttpLoadResult result : results) {
            WrkResult wrk = result.wrk();
            table.row(result.server(), result.workload().model(), result.level().label() + " (-t"
                    + result.level().threads() + ")", Format.rate(wrk.requestsPerSecond()),
                    Format.rate(wrk.requestsPerSecond() * result.workload().rows()), Format.micros(wrk.p50Micros()),
                    Format.micros(wrk.p99Micros()), wrk.non2xx(), wrk.socketErrors(), ratioToBaseline(result, results));
        }
        return section("REST over loopback (wrk)", "POST /v1/models/NAME:predict, one instance per request. "
                + "baseline = NaiveBaselineServer (JDK HttpServer + Jackson + TF Java, no validation, "
                + "nodelay, 4 x cores threads). wrk runs on the same cores as the server.", table);
    }

    ResultsTable memory(MemoryResult memory) {
        MarkdownTable table = new MarkdownTable("point", "requests", "VmRSS");
        table.row("ready, before load", 0, Format.mebibytes(memory.rssBeforeKib()));
        table.row("after first stretch", String.format("%,d", memory.firstRequests()),
                Format.mebibytes(memory.rssAfterFirstKib()));
        table.row("after soak", String.format("%,d", memory.totalRequests()),
                Format.mebibytes(memory.rssAfterTotalKib()));
        table.row("growth (soak / first stretch)", "", String.format("%.3fx", memory.growthRatio()));
        return section("ServeDeck memory", "A fresh ServeDeck process, half_plus_two at c64.", table);
    }

    ResultsTable targets(List<Verdict> verdicts) {
        MarkdownTable table = new MarkdownTable("target", "measured", "verdict");
        verdicts.forEach(verdict -> table.row(verdict.target(), verdict.measured(), verdict.label()));
        return section("Targets", "", table);
    }

    ResultsTable warnings(List<String> warnings) {
        markdown.append("\n## Warnings\n\n");
        if (warnings.isEmpty()) {
            markdown.append("None: every request answered 2xx, no socket errors.\n");
        }
        warnings.forEach(warning -> markdown.append("- ").append(warning).append('\n'));
        return this;
    }

    String markdown() {
        return markdown.toString();
    }

    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }

    private ResultsTable section(String title, String note, MarkdownTable table) {
        markdown.append("\n## ").append(title).append("\n\n");
        if (!note.isEmpty()) {
            markdown.append(note).append("\n\n");
        }
        markdown.append(table.render());
        return this;
    }

    private static String ratioToBaseline(HttpLoadResult result, List<HttpLoadResult> results) {
        if (result.server().equals(RunningServer.BASELINE)) {
            return "";
        }
        return results.stream()
                .filter(other -> other.server().equals(RunningServer.BASELINE) && other.level().equals(result.level())
                        && other.workload().model().equals(result.workload().model()))
                .findFirst()
                .map(baseline -> String.format("%.2fx", result.wrk().requestsPerSecond()
                        / baseline.wrk().requestsPerSecond()))
                .orElse("");
    }
}
