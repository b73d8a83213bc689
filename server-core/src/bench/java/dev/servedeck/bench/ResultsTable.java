package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The whole run as one Markdown document: printed to the console and written to results.md. */
final class ResultsTable {

    /** The benchmark runs on the machine it measures: its cores are the servers'. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final StringBuilder markdown = new StringBuilder("# ServeDeck benchmark\n");

    /** Under the title: the servers' JVM options, which every figure below depends on, and why. */
    ResultsTable serverJvm(List<String> serverJvmArgs) {
        markdown.append("\nServer JVM options (every server started, baseline and ServeDeck alike): `")
                .append(serverJvmArgs.isEmpty() ? "(none)" : String.join(" ", serverJvmArgs)).append("`\n");
        if (serverJvmArgs.contains("-XX:+AlwaysPreTouch")) {
            markdown.append("""

                    The heap is fixed (-Xms = -Xmx) and pre-touched: the JVM commits and writes every heap page at
                    start, so a server's RSS includes its whole heap before the first request. Without that, RSS
                    grows for a long time as the JVM lazily touches heap it was always allowed to use, and the
                    memory soak could not tell that from a leak. With it, growth under load is native memory
                    (TensorFlow, Netty buffers), metaspace, code cache and thread stacks: where leaks show.
                    Override with -Dbench.serverJvmArgs="..." (empty for the JVM's defaults).
                    """);
        }
        return this;
    }

    ResultsTable machine(Map<String, String> facts) {
        MarkdownTable table = new MarkdownTable("machine", "value");
        facts.forEach(table::row);
        return section("Machine", "", table);
    }

    ResultsTable floor(List<FloorResult> floors) {
        MarkdownTable table = new MarkdownTable("model", "batch", "TensorFlow threads", "calls", "p50", "p99",
                "calls/s", "rows/s");
        for (FloorResult floor : floors) {
            table.row(floor.model(), floor.batchSize(), floor.threads().flagsText(),
                    String.format("%,d", floor.calls()),
                    Format.micros(floor.p50Micros()),
                    Format.micros(floor.p99Micros()), Format.rate(floor.callsPerSecond()),
                    Format.rate(floor.rowsPerSecond()));
        }
        return section("In-process floor", "TensorFlow Java called directly: SavedModelBundle + session.runner(), "
                + "one thread, after warm-up. No HTTP, no JSON. Batch 1 but for the batching floor, which feeds "
                + "[batch, 784] tensors of the same row (rows/s = batch x calls/s).", table);
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
                + "nodelay, 4 x cores threads). wrk runs on the same cores as the server. Before its first row, "
                + "each server is warmed per model at c64 until it stops getting faster (see Warm-up), then every "
                + "row gets its own warm-up run.", table);
    }

    /** Each gRPC row beside ServeDeck's REST figures for the same model and concurrency, from this run. */
    ResultsTable grpc(List<GrpcLoadResult> results, List<HttpLoadResult> http) {
        MarkdownTable table = new MarkdownTable("client", "model", "load", "calls/s", "p50", "p99", "failures",
                "REST req/s", "REST p50", "REST p99", "calls/s vs REST req/s");
        for (GrpcLoadResult result : results) {
            GrpcLoadClient.Result client = result.client();
            WrkResult rest = TargetVerdicts.serveDeckRest(http, result.model(), result.level());
            table.row(result.generator(), result.model(), result.level().label() + " (" + result.level().connections() + " in flight)",
                    Format.rate(client.callsPerSecond()), Format.micros(result.p50Micros()),
                    Format.micros(result.p99Micros()), failures(client), Format.rate(rest.requestsPerSecond()),
                    Format.micros(rest.p50Micros()), Format.micros(rest.p99Micros()),
                    String.format("%.2fx", client.callsPerSecond() / rest.requestsPerSecond()));
        }
        return section("gRPC over loopback (h2load and grpc-java)", "ServeDeck only, the same process as its REST "
                + "rows above: PredictionService/Predict, one row per call as a DT_FLOAT tensor_content tensor of "
                + "shape [1, width] (as Python's make_tensor_proto writes it), after "
                + String.format("%,d", GrpcLoadSuite.WARM_UP_CALLS) + " unmeasured c64 grpc-java calls per model "
                + "(which warm the Java client), h2load at c64 until the server stops getting faster (see Warm-up) "
                + "and a warm-up run per row. Two load generators: h2load (nghttp2's C client, its own process, "
                + "like wrk: one connection up to 8 streams in flight, two connections of 32 at c64, one thread; "
                + "calls answered without a message count as failed, see H2loadRunner) and grpc-java's async "
                + "client inside the benchmark JVM (N calls in flight on one channel), whose CPU competes with "
                + "the server's on the same cores. The gRPC target compares h2load with wrk: load generators "
                + "of the same weight.", table);
    }

    ResultsTable batching(BatchingComparison batching) {
        MarkdownTable table = new MarkdownTable("contender", "rows/s", "p50", "p99", "mean batch size",
                "non-2xx", "socket errors", "rows/s vs batching off");
        double offRate = batching.off().wrk().requestsPerSecond();
        for (BatchingResult result : List.of(batching.off(), batching.on())) {
            WrkResult wrk = result.wrk();
            table.row("ServeDeck, " + result.variant(), Format.rate(wrk.requestsPerSecond()),
                    Format.micros(wrk.p50Micros()), Format.micros(wrk.p99Micros()), result.batchSize().label(),
                    wrk.non2xx(), wrk.socketErrors(), String.format("%.2fx", wrk.requestsPerSecond() / offRate));
        }
        double grpcOffRate = batching.off().grpc().callsPerSecond();
        for (BatchingResult result : List.of(batching.off(), batching.on())) {
            GrpcLoadClient.Result grpc = result.grpc();
            table.row("ServeDeck, " + result.variant() + ", gRPC", Format.rate(grpc.callsPerSecond()),
                    Format.micros(grpc.p50().toNanos() / 1_000.0), Format.micros(grpc.p99().toNanos() / 1_000.0),
                    result.grpcBatchSize().label(), grpc.failures() + " failed", "",
                    String.format("%.2fx (vs gRPC off)", grpc.callsPerSecond() / grpcOffRate));
        }
        FloorResult floor = batching.floor();
        table.row("in-process floor, batch " + floor.batchSize() + ", one caller, " + floor.threads().flagsText(),
                Format.rate(floor.rowsPerSecond()), Format.micros(floor.p50Micros()) + " per batch",
                Format.micros(floor.p99Micros()) + " per batch", floor.batchSize(), "", "",
                String.format("%.2fx", floor.rowsPerSecond() / offRate));
        return section("Batching (MLP, c64, REST and gRPC): " + batching.threads().label(), "Two fresh ServeDeck "
                + "processes, one after the other: batching off, then on (`" + batching.on().flags() + "`), both "
                + "serving Prometheus, both with TensorFlow threads `" + batching.threads().flagsText() + "`. The "
                + "MLP request and wrk settings of the REST table, one row per request, so rows/s = req/s; each "
                + "measured run follows its warm-up runs. Parameters: `"
                + batching.parameters().strip().replace("\n", " ") + "`. Mean batch size: rows / batches during "
                + "the measured run, from the Prometheus endpoint (" + batching.on().batchSize().source() + "). The "
                + "gRPC rows send the same row as binary tensor_content from h2load (2 connections x 32 streams, "
                + "as in the gRPC table), after the REST run against the same process. The floor is the faster "
                + "of the two thread settings in the In-process floor table.", table);
    }

    ResultsTable adaptiveBatching(AdaptiveBatchingComparison comparison) {
        MarkdownTable table = new MarkdownTable("contender", "REST half_plus_two c1: p50, req/s (p50 of each round)",
                "REST MLP c1: p50, req/s (p50 of each round)", "gRPC MLP c1: p50, calls/s (p50 of each round)",
                "REST MLP c64: rows/s, p99, mean batch",
                "gRPC MLP c64: rows/s, p99, mean batch (rows/s of each round)", "gRPC MLP c64 rows/s vs batching off");
        for (AdaptiveBatchingResult result : List.of(comparison.off(), comparison.fixed(), comparison.adaptive())) {
            table.row("ServeDeck, " + result.variant(),
                    latencyAndRate(result.halfPlusTwoC1().p50Micros(), result.halfPlusTwoC1().requestsPerSecond())
                            + rounds(result.halfPlusTwoC1Rounds(), run -> Format.micros(run.p50Micros())),
                    latencyAndRate(result.mlpC1().p50Micros(), result.mlpC1().requestsPerSecond())
                            + rounds(result.mlpC1Rounds(), run -> Format.micros(run.p50Micros())),
                    latencyAndRate(result.grpcMlpC1P50Micros(), result.grpcMlpC1().callsPerSecond())
                            + rounds(result.grpcMlpC1Rounds(),
                                    run -> Format.micros(AdaptiveBatchingResult.p50Micros(run))),
                    Format.rate(result.mlpC64().requestsPerSecond()) + ", " + Format.micros(result.mlpC64().p99Micros())
                            + ", " + result.mlpC64Batch().label(),
                    Format.rate(result.grpcMlpC64().callsPerSecond()) + ", "
                            + Format.micros(result.grpcMlpC64().p99().toNanos() / 1_000.0) + ", "
                            + result.grpcMlpC64Batch().label()
                            + rounds(result.grpcMlpC64Rounds(), run -> Format.rate(run.load().callsPerSecond())),
                    String.format("%.2fx", comparison.grpcMlpC64Throughput(result)));
        }
        AdaptiveBatchingResult adaptive = comparison.adaptive();
        table.row("adaptive / batching off", ratio(comparison.halfPlusTwoC1Latency(adaptive)),
                ratio(comparison.mlpC1Latency(adaptive)), ratio(comparison.grpcMlpC1Latency(adaptive)),
                ratio(comparison.mlpC64Throughput(adaptive)), ratio(comparison.grpcMlpC64Throughput(adaptive)), "");
        table.row("adaptive / fixed timeout",
                ratio(adaptive.halfPlusTwoC1().p50Micros() / comparison.fixed().halfPlusTwoC1().p50Micros()),
                ratio(adaptive.mlpC1().p50Micros() / comparison.fixed().mlpC1().p50Micros()),
                ratio(adaptive.grpcMlpC1P50Micros() / comparison.fixed().grpcMlpC1P50Micros()),
                ratio(adaptive.mlpC64().requestsPerSecond() / comparison.fixed().mlpC64().requestsPerSecond()),
                ratio(comparison.grpcMlpC64AdaptiveOverFixed()), "");
        return section("Adaptive batch timeout (batch_timeout_micros " + comparison.batchTimeoutMicros() + ")",
                "Three ServeDeck processes up side by side, each kind of run going to the three in turn (the other "
                + "two idle): batching off; batching with TF Serving's fixed timeout (`" + comparison.fixed().flags()
                + "`); batching with the adaptive timeout (the default). Both batching servers read `"
                + comparison.parameters().strip().replace("\n", " ") + "`. TF Serving's default TensorFlow "
                + "threads. c1 = one client sending request after request (wrk -c1, h2load with one call in "
                + "flight): latency columns are p50 and the ratios compare p50s; c64 columns and ratios compare "
                + "rows/s. The judged kinds go round " + AdaptiveBatchingSuite.ROUNDS + " times (off, fixed, "
                + "adaptive, off, ...; a warm-up run before the first) and each process is summed up by its median "
                + "round. The MLP and wrk settings of the REST table, the gRPC request of the gRPC table; mean batch "
                + "size from each server's Prometheus endpoint during the run.", table);
    }

    private static <T> String rounds(List<T> runs, Function<T, String> figure) {
        return runs.stream().map(figure).collect(Collectors.joining(" / ", " (", ")"));
    }

    private static String latencyAndRate(double p50Micros, double perSecond) {
        return Format.micros(p50Micros) + ", " + Format.rate(perSecond);
    }

    private static String ratio(double value) {
        return String.format("%.2fx", value);
    }

    ResultsTable metricsCost(MetricsCostResult cost) {
        MarkdownTable table = new MarkdownTable("round", "metrics", "req/s", "p50", "p99", "non-2xx",
                "socket errors");
        for (int round = 0; round < cost.off().size(); round++) {
            metricsRow(table, round + 1, "off", cost.off().get(round));
            metricsRow(table, round + 1, "on", cost.on().get(round));
        }
        table.row("mean", "off", Format.rate(cost.meanOff()), "", "", "", "");
        table.row("mean", "on", Format.rate(cost.meanOn()), "", "", "", "");
        table.row("cost", "", String.format("%.1f%%", cost.cost() * 100), "", "", "", "");
        return section("Metrics cost (half_plus_two, REST, c64)", "Two ServeDeck processes up side by side, "
                + "measured alternately (off, on, off, on), each run after a warm-up; the idle one waits. off = "
                + "`--disable_metrics` (nothing measured); on = `" + cost.onFlags() + "` ("
                + String.format("%,d", cost.requestLogLines()) + " request log lines written).", table);
    }

    ResultsTable tlsCost(TlsCostResult cost) {
        MarkdownTable table = new MarkdownTable("round", "API", "TLS", "rows/s", "p50", "p99", "errors");
        for (int round = 0; round < cost.restOff().size(); round++) {
            tlsRestRow(table, round + 1, "off", cost.restOff().get(round));
            tlsRestRow(table, round + 1, "on", cost.restOn().get(round));
        }
        for (int round = 0; round < cost.grpcOff().size(); round++) {
            tlsGrpcRow(table, round + 1, "off", cost.grpcOff().get(round));
            tlsGrpcRow(table, round + 1, "on", cost.grpcOn().get(round));
        }
        table.row("mean", "REST", "off", Format.rate(TlsCostResult.mean(cost.restOff(), WrkResult::requestsPerSecond)),
                "", "", "");
        table.row("mean", "REST", "on", Format.rate(TlsCostResult.mean(cost.restOn(), WrkResult::requestsPerSecond)),
                "", "", "");
        table.row("mean", "gRPC", "off", Format.rate(TlsCostResult.mean(cost.grpcOff(),
                GrpcLoadClient.Result::callsPerSecond)), "", "", "");
        table.row("mean", "gRPC", "on", Format.rate(TlsCostResult.mean(cost.grpcOn(),
                GrpcLoadClient.Result::callsPerSecond)), "", "", "");
        table.row("cost", "REST", "", String.format("%.1f%%", cost.restCost() * 100), "", "", "");
        table.row("cost", "gRPC", "", String.format("%.1f%%", cost.grpcCost() * 100), "", "", "");
        return section("TLS cost (MLP with batching, c64, REST and gRPC)", "Two ServeDeck processes up side by "
                + "side, both with batching and Prometheus, one of them with `--ssl_config_file` (" + cost.certificate()
                + "; TLS implementation: " + cost.tlsImplementation() + "), measured alternately (REST off, on, gRPC "
                + "off, on, per round), each run after a warm-up; the idle one waits. REST: wrk over HTTPS, 64 "
                + "keep-alive connections; gRPC: h2load over TLS with ALPN h2, 2 connections x 32 streams. Mean batch "
                + "size over the measured runs: off " + cost.batchSizeOff().label() + ", on "
                + cost.batchSizeOn().label() + ".", table);
    }

    private static void tlsRestRow(MarkdownTable table, int round, String variant, WrkResult wrk) {
        table.row(round, "REST", variant, Format.rate(wrk.requestsPerSecond()), Format.micros(wrk.p50Micros()),
                Format.micros(wrk.p99Micros()), wrk.non2xx() + wrk.socketErrors());
    }

    private static void tlsGrpcRow(MarkdownTable table, int round, String variant, GrpcLoadClient.Result grpc) {
        table.row(round, "gRPC", variant, Format.rate(grpc.callsPerSecond()),
                Format.micros(grpc.p50().toNanos() / 1_000.0), Format.micros(grpc.p99().toNanos() / 1_000.0),
                grpc.failures());
    }

    private static void metricsRow(MarkdownTable table, int round, String variant, WrkResult wrk) {
        table.row(round, variant, Format.rate(wrk.requestsPerSecond()), Format.micros(wrk.p50Micros()),
                Format.micros(wrk.p99Micros()), wrk.non2xx(), wrk.socketErrors());
    }

    ResultsTable tokensCost(TokensCostResult cost) {
        MarkdownTable table = new MarkdownTable("API", "round", "tokens", "req/s", "p50", "p99", "server CPU / request",
                "errors");
        tokensRows(table, "REST", cost.restOff(), cost.restOn());
        table.row("REST", "cost", "", String.format("%.1f%%", cost.restRateCost() * 100), "", "",
                String.format("%+.1f%%", cost.restCpuCost() * 100), "");
        tokensRows(table, "gRPC", cost.grpcOff(), cost.grpcOn());
        table.row("gRPC", "cost", "", String.format("%.1f%%", cost.grpcRateCost() * 100), "", "",
                String.format("%+.1f%%", cost.grpcCpuCost() * 100), "");
        double restOn = TokensCostResult.median(cost.restOn(), TokensRun::rate);
        double grpcOn = TokensCostResult.median(cost.grpcOn(), TokensRun::rate);
        return section("Bearer tokens cost (half_plus_two, c64)", "Two ServeDeck processes up side by side, "
                + "measured alternately (off, on, on, off, ...), each run after a warm-up; the idle one waits. REST by "
                + "wrk, gRPC by h2load (calls/s). on = `--auth_tokens_file` with " + cost.tokensInFile() + " tokens "
                + "(`openssl rand -hex 32` style), every request sending one (`Authorization: Bearer ...`). Costs "
                + "compare medians. Server CPU / request is the server process's user + system time over the run "
                + "divided by the requests answered, shown beside req/s: on a shared machine both move between two "
                + "runs of one server by more than a token check costs. In process, one `Authorizer.authorize` over "
                + "the same file takes "
                + String.format("%.0f ns: at the median \"on\" rates, %.1f%% (REST) and %.1f%% (gRPC) of %d cores.",
                        cost.nanosPerCheck(), cost.checkShareOfCores(restOn, CORES) * 100,
                        cost.checkShareOfCores(grpcOn, CORES) * 100, CORES), table);
    }

    ResultsTable loadEngine(List<LoadEngineComparison> comparisons, String loadAverages) {
        MarkdownTable table = new MarkdownTable("API", "level", "round", "tool", "tool rate", "engine rate",
                "tool p50", "engine p50", "tool p99", "engine p99", "errors (tool / engine)");
        for (LoadEngineComparison comparison : comparisons) {
            for (int round = 0; round < comparison.toolRuns().size(); round++) {
                LoadEngineRun tool = comparison.toolRuns().get(round);
                LoadEngineRun engine = comparison.engineRuns().get(round);
                table.row(comparison.api(), comparison.level().label(), round + 1, comparison.tool(),
                        Format.rate(tool.rate()), Format.rate(engine.rate()), Format.micros(tool.p50Micros()),
                        Format.micros(engine.p50Micros()), Format.micros(tool.p99Micros()),
                        Format.micros(engine.p99Micros()), tool.errors() + " / " + engine.errors());
            }
            table.row(comparison.api(), comparison.level().label(), "median", comparison.tool(),
                    Format.rate(LoadEngineComparison.median(comparison.toolRuns(), LoadEngineRun::rate)),
                    Format.rate(LoadEngineComparison.median(comparison.engineRuns(), LoadEngineRun::rate)),
                    "", "", "", "", String.format("engine / %s = %.2f", comparison.tool(), comparison.ratio()));
        }
        return section("Load engine vs wrk and h2load (half_plus_two)", "One ServeDeck process. The load engine "
                + "(core.loadgen, closed loop, in the benchmark's JVM as in the console's) against wrk (REST, req/s) "
                + "and h2load (gRPC, calls/s) at the same concurrency and threads/connections, in rounds ordered "
                + "tool, engine, engine, tool, ...; ratios compare medians. Every client shares the two cores with "
                + "the server (and with the machine's other tenants): " + loadAverages + ".", table);
    }

    private static void tokensRows(MarkdownTable table, String api, List<TokensRun> off, List<TokensRun> on) {
        for (int round = 0; round < off.size(); round++) {
            tokensRow(table, api, Integer.toString(round + 1), "off", off.get(round));
            tokensRow(table, api, Integer.toString(round + 1), "on", on.get(round));
        }
        for (String variant : List.of("off", "on")) {
            List<TokensRun> runs = variant.equals("off") ? off : on;
            table.row(api, "median", variant, Format.rate(TokensCostResult.median(runs, TokensRun::rate)), "", "",
                    String.format("%.1f us", TokensCostResult.median(runs, TokensRun::cpuMicrosPerRequest)), "");
        }
    }

    private static void tokensRow(MarkdownTable table, String api, String round, String variant, TokensRun run) {
        table.row(api, round, variant, Format.rate(run.rate()), Format.micros(run.p50Micros()),
                Format.micros(run.p99Micros()), String.format("%.1f us", run.cpuMicrosPerRequest()), run.errors());
    }

    ResultsTable loadTime(List<LoadTimeResult> layouts) {
        MarkdownTable table = new MarkdownTable("layout", "loads", "load median", "load min", "load max",
                "first answer median", "load vs TF1");
        double tf1 = layouts.get(0).medianLoad();
        for (LoadTimeResult layout : layouts) {
            table.row(layout.layout(), layout.loadMillis().length, millis(layout.medianLoad()),
                    millis(LoadTimeResult.min(layout.loadMillis())), millis(LoadTimeResult.max(layout.loadMillis())),
                    millis(layout.medianFirstAnswer()), String.format("%.2fx", layout.medianLoad() / tf1));
        }
        return section("Load time (demo MLP, TF1 vs TF2 layout)", "The same 784-512-512-10 MLP (same weights) "
                + "exported as TensorFlow Java's exporter writes it (TF1) and as tf.saved_model.save lays it out "
                + "(TF2: a function-call signature, resource variables restored by a function, "
                + "__saved_model_init_op), loaded in one JVM by ServeDeck's loader, alternately, after 3 warm-up "
                + "loads of each. Load = parse, import, restore, init op (the LOADING state); first answer = load + "
                + "the first Predict (TensorFlow optimises the graph on its first run).", table);
    }

    private static String millis(double value) {
        return String.format("%.1f ms", value);
    }

    ResultsTable memory(MemoryResult memory) {
        MarkdownTable table = new MarkdownTable("point", "requests", "VmRSS");
        table.row("ready, before load", 0, Format.mebibytes(memory.rssBeforeKib()));
        table.row("after first stretch", String.format("%,d", memory.firstRequests()),
                Format.mebibytes(memory.rssAfterFirstKib()));
        table.row("after soak", String.format("%,d", memory.totalRequests()),
                Format.mebibytes(memory.rssAfterTotalKib()));
        table.row("growth (soak / first stretch)", "", String.format("%.3fx", memory.growthRatio()));
        return section("ServeDeck memory", "A fresh ServeDeck process, half_plus_two at c64. With the default "
                + "JVM options its heap is pre-touched, so \"ready\" already includes the whole heap, and growth "
                + "after the first stretch is native memory, metaspace or code cache.", table);
    }

    /** Every steady-state warm-up of the run: how long each server took to reach the speed it was measured at. */
    ResultsTable warmUps(SteadyWarmUp steady) {
        MarkdownTable table = new MarkdownTable("server and request kind", "runs", "rate of each run", "steady");
        for (SteadyWarmUp.Trajectory trajectory : steady.all()) {
            table.row(trajectory.label(), trajectory.rates().size(), SteadyWarmUp.ratesText(trajectory.rates()),
                    trajectory.steady() ? "yes" : "no, still climbing at the cap");
        }
        return section("Warm-up", "Before each server's first measured row of a request kind, unmeasured "
                + steady.rule() + ". Rates in requests (REST) or calls (gRPC) per second. A JVM server on 2 loaded "
                + "cores takes 20-40 s of full load to reach full speed: its JIT compiler threads compete with the "
                + "load for the cores.", table);
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
