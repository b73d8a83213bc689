package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
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

    /** Each gRPC row beside ServeDeck's REST figures for the same model and concurrency, from this run. */
    ResultsTable grpc(List<GrpcLoadResult> results, List<HttpLoadResult> http) {
        MarkdownTable table = new MarkdownTable("model", "load", "calls/s", "p50", "p99", "failures",
                "REST req/s", "REST p50", "REST p99", "calls/s vs REST req/s");
        for (GrpcLoadResult result : results) {
            GrpcLoadClient.Result client = result.client();
            WrkResult rest = TargetVerdicts.serveDeckRest(http, result.model(), result.level());
            table.row(result.model(), result.level().label() + " (" + result.level().connections() + " in flight)",
                    Format.rate(client.callsPerSecond()), Format.micros(result.p50Micros()),
                    Format.micros(result.p99Micros()), failures(client), Format.rate(rest.requestsPerSecond()),
                    Format.micros(rest.p50Micros()), Format.micros(rest.p99Micros()),
                    String.format("%.2fx", client.callsPerSecond() / rest.requestsPerSecond()));
        }
        return section("gRPC over loopback (grpc-java)", "ServeDeck only, the same process as its REST rows above: "
                + "PredictionService/Predict, one row per call as a DT_FLOAT tensor_content tensor of shape "
                + "[1, width] (as Python's make_tensor_proto writes it); N async calls in flight on one "
                + "channel, after " + String.format("%,d", GrpcLoadSuite.WARM_UP_CALLS) + " unmeasured c64 calls "
                + "per model and a warm-up run per row. "
                + "Unlike wrk, this load client runs inside the benchmark JVM, and its CPU competes with the "
                + "server's on the same cores, which lowers the gRPC figures; the ratio to REST is still taken "
                + "within one run against one server process.", table);
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
            markdown.append("None: every request answered 2xx, no socket errors, every gRPC call OK.\n");
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

    private static String failures(GrpcLoadClient.Result client) {
        return client.failures() == 0 ? "0" : client.failures() + " " + client.failuresByCode();
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
