package dev.servedeck.bench;

import dev.servedeck.core.tensorflow.JavaCppPhysicalMemoryCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * ServeDeck's benchmark: numbers, not a test. Run with
 * {@code ./mvnw -B -q -Pbench -DskipTests -pl server-core -am verify}; it prints a Markdown report and
 * writes it to {@code server-core/target/benchmark/results.md}.
 *
 * <p>Order matters: the in-process floor runs first on an idle machine; then each server runs alone (the
 * baseline, then ServeDeck), so no two contenders share the two cores; ServeDeck's gRPC runs follow its REST
 * runs in the same process, so their ratio compares one server under one machine load; batching off and on
 * get a fresh process each, one after the other, under each TensorFlow thread setting; metrics off and on, and
 * tokens off and on, get two processes measured alternately; the memory soak gets a fresh ServeDeck process, so that its "before
 * load" reading really is before any load.
 */
public final class BenchmarkMain {

    /** Where {@link #measureFloor} puts the MLP at the batching servers' largest batch, one per thread setting. */
    private static final int FIRST_BATCH_FLOOR = 2;

    private final BenchmarkSettings settings;
    private final Warnings warnings = new Warnings();
    private final SteadyWarmUp steady;

    private BenchmarkMain(BenchmarkSettings settings) {
        this.settings = settings;
        this.steady = SteadyWarmUp.from(settings);
    }

    public static void main(String[] args) {
        // The in-process floor is TensorFlow Java at its fastest, configured as ServeDeck runs it.
        JavaCppPhysicalMemoryCheck.switchOffUnlessConfigured();
        int exitCode;
        try {
            new BenchmarkMain(BenchmarkSettings.fromSystemProperties()).run();
            exitCode = 0;
        } catch (Exception e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            exitCode = 1;
        }
        // An explicit exit: TensorFlow's native thread pools would keep the JVM alive otherwise.
        System.exit(exitCode);
    }

    private void run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(settings.serverJar())) {
            throw new IllegalStateException("No ServeDeck jar at " + settings.serverJar()
                    + ": build it first (./mvnw package), or run through the bench profile, which does.");
        }
        ToolInstallation.ensureLoadGenerators();
        Path output = Files.createDirectories(settings.outputDir());
        Map<String, String> machine = MachineInfo.collect(settings);
        machine.forEach((fact, value) -> System.out.println(fact + ": " + value));

        DemoModelSet models = DemoModelSet.writeTo(output.resolve("models"));
        Path serverConfig = models.writeServerConfig(output.resolve("models.config"));

        String only = System.getProperty("bench.only", "all");
        if (only.equals("metrics")) {
            runMetricsCostOnly(output, serverConfig);
            return;
        }
        if (only.equals("load")) {
            runLoadTimeOnly(output);
            return;
        }
        if (only.equals("tls")) {
            runTlsCostOnly(output, serverConfig);
            return;
        }
        if (only.equals("adminstreams")) {
            runAdminStreamsCostOnly(output, serverConfig);
            return;
        }
        if (only.equals("tokens")) {
            runTokensCostOnly(output, serverConfig);
            return;
        }
        if (only.equals("v2")) {
            runOpenInferenceOnly(output, serverConfig);
            return;
        }
        if (only.equals("adaptive")) {
            runAdaptiveBatchingOnly(output, serverConfig);
            return;
        }
        if (only.equals("loadengine")) {
            runLoadEngineOnly(output, serverConfig);
            return;
        }
        List<LoadTimeResult> loadTimes = new LoadTimeSuite().run(output.resolve("models-load"));
        List<FloorResult> floors = measureFloor(models);
        FloorResult batchFloor = fastest(floors.subList(FIRST_BATCH_FLOOR, floors.size()));
        if (only.equals("batching")) {
            runBatchingOnly(output, serverConfig, floors, batchFloor);
            return;
        }

        WrkRunner wrk = new WrkRunner(output.resolve("wrk"));
        HttpLoadSuite suite = new HttpLoadSuite(wrk, settings, steady, warnings);
        List<HttpLoadResult> http = new ArrayList<>();
        try (RunningServer baseline = RunningServer.startBaseline(settings, models)) {
            http.addAll(suite.run(baseline));
        }
        List<GrpcLoadResult> grpc;
        try (RunningServer serveDeck = RunningServer.startServeDeck(settings, serverConfig, "servedeck")) {
            http.addAll(suite.run(serveDeck));
            grpc = new GrpcLoadSuite(settings, steady, warnings).run(serveDeck);
        }
        List<BatchingComparison> batching = runBatching(wrk, serverConfig, batchFloor);
        AdaptiveBatchingComparison adaptive = new AdaptiveBatchingSuite(wrk, settings, steady, warnings)
                .run(serverConfig);
        MetricsCostResult metricsCost = new MetricsCostSuite(wrk, settings, steady, warnings).run(serverConfig);
        TlsCostResult tlsCost = new TlsCostSuite(wrk, settings, steady, warnings).run(serverConfig);
        TokensCostResult tokensCost = new TokensCostSuite(wrk, settings, steady, warnings).run(serverConfig);
        String loadBefore = LoadEngineSuite.loadAverage();
        List<LoadEngineComparison> loadEngine = new LoadEngineSuite(wrk, settings, steady, warnings).run(serverConfig);
        String loadAverages = "load average " + loadBefore + " before, " + LoadEngineSuite.loadAverage() + " after";
        MemoryResult memory;
        try (RunningServer serveDeck = RunningServer.startServeDeck(settings, serverConfig, "servedeck-memory")) {
            memory = new MemorySoak(wrk, warnings).run(serveDeck, settings.firstRssRequests(),
                    settings.soakRequests());
        }

        List<Verdict> verdicts = new ArrayList<>(TargetVerdicts.evaluate(floors.get(0), http, grpc, memory));
        batching.forEach(comparison -> verdicts.addAll(TargetVerdicts.batching(comparison)));
        verdicts.addAll(TargetVerdicts.adaptiveBatching(adaptive));
        verdicts.add(TargetVerdicts.metricsCost(metricsCost));
        verdicts.addAll(TargetVerdicts.tlsCost(tlsCost));
        verdicts.addAll(TargetVerdicts.tokensCost(tokensCost));
        verdicts.addAll(TargetVerdicts.loadEngine(loadEngine));
        verdicts.add(TargetVerdicts.loadTime(loadTimes));
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .machine(machine)
                .floor(floors)
                .http(http)
                .grpc(grpc, http);
        batching.forEach(report::batching);
        report.adaptiveBatching(adaptive)
                .metricsCost(metricsCost)
                .tlsCost(tlsCost)
                .tokensCost(tokensCost)
                .loadEngine(loadEngine, loadAverages)
                .loadTime(loadTimes)
                .memory(memory)
                .warmUps(steady)
                .targets(verdicts)
                .warnings(warnings.all());
        publish(report, output.resolve("results.md"));
    }

    /** Batching off and on under each TensorFlow thread setting, one fresh process after another. */
    private List<BatchingComparison> runBatching(WrkRunner wrk, Path serverConfig, FloorResult batchFloor)
            throws IOException, InterruptedException {
        BatchingSuite suite = new BatchingSuite(wrk, settings, steady, warnings);
        List<BatchingComparison> comparisons = new ArrayList<>();
        for (TensorflowThreads threads : TensorflowThreads.all()) {
            comparisons.add(suite.run(serverConfig, batchFloor, threads));
        }
        return comparisons;
    }

    /**
     * The floor, the batching comparisons and the adaptive timeout comparison alone (-Dbench.only=batching), about
     * half of a full run.
     */
    private void runBatchingOnly(Path output, Path serverConfig, List<FloorResult> floors, FloorResult batchFloor)
            throws IOException, InterruptedException {
        WrkRunner wrk = new WrkRunner(output.resolve("wrk"));
        List<BatchingComparison> batching = runBatching(wrk, serverConfig, batchFloor);
        AdaptiveBatchingComparison adaptive = new AdaptiveBatchingSuite(wrk, settings, steady, warnings)
                .run(serverConfig);
        List<Verdict> verdicts = new ArrayList<>();
        batching.forEach(comparison -> verdicts.addAll(TargetVerdicts.batching(comparison)));
        verdicts.addAll(TargetVerdicts.adaptiveBatching(adaptive));
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .floor(floors);
        batching.forEach(report::batching);
        report.adaptiveBatching(adaptive)
                .warmUps(steady)
                .targets(verdicts)
                .warnings(warnings.all());
        publish(report, output.resolve("results-batching.md"));
    }

    /** The adaptive timeout comparison alone (-Dbench.only=adaptive), about 7 minutes. */
    private void runAdaptiveBatchingOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        AdaptiveBatchingComparison adaptive = new AdaptiveBatchingSuite(new WrkRunner(output.resolve("wrk")),
                settings, steady, warnings).run(serverConfig);
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .adaptiveBatching(adaptive)
                .warmUps(steady)
                .targets(TargetVerdicts.adaptiveBatching(adaptive))
                .warnings(warnings.all());
        publish(report, output.resolve("results-adaptive.md"));
    }

    /** The metrics-cost A/B alone (-Dbench.only=metrics): quick to repeat while working on the recording path. */
    private void runMetricsCostOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        WrkRunner wrk = new WrkRunner(output.resolve("wrk"));
        MetricsCostResult metricsCost = new MetricsCostSuite(wrk, settings, steady, warnings).run(serverConfig);
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .metricsCost(metricsCost)
                .warmUps(steady)
                .targets(List.of(TargetVerdicts.metricsCost(metricsCost)))
                .warnings(warnings.all());
        publish(report, output.resolve("results-metrics.md"));
    }

    /** The TLS-cost A/B alone (-Dbench.only=tls): a few minutes. */
    private void runTlsCostOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        TlsCostResult cost = new TlsCostSuite(new WrkRunner(output.resolve("wrk")), settings, steady, warnings)
                .run(serverConfig);
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .tlsCost(cost)
                .warmUps(steady)
                .targets(TargetVerdicts.tlsCost(cost))
                .warnings(warnings.all());
        publish(report, output.resolve("results-tls.md"));
    }

    /** The bearer-tokens A/B alone (-Dbench.only=tokens): REST and gRPC, tokens off against on. */
    private void runTokensCostOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        WrkRunner wrk = new WrkRunner(output.resolve("wrk"));
        TokensCostResult tokensCost = new TokensCostSuite(wrk, settings, steady, warnings).run(serverConfig);
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .tokensCost(tokensCost)
                .warmUps(steady)
                .targets(TargetVerdicts.tokensCost(tokensCost))
                .warnings(warnings.all());
        publish(report, output.resolve("results-tokens.md"));
    }

    /** The load engine against wrk and h2load alone (-Dbench.only=loadengine), about six minutes. */
    private void runLoadEngineOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        WrkRunner wrk = new WrkRunner(output.resolve("wrk"));
        String before = LoadEngineSuite.loadAverage();
        List<LoadEngineComparison> comparisons = new LoadEngineSuite(wrk, settings, steady, warnings).run(serverConfig);
        String loadAverages = "load average " + before + " before, " + LoadEngineSuite.loadAverage() + " after";
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .loadEngine(comparisons, loadAverages)
                .warmUps(steady)
                .targets(TargetVerdicts.loadEngine(comparisons))
                .warnings(warnings.all());
        publish(report, output.resolve("results-loadengine.md"));
    }

    /** The admin API's statistics streams alone (-Dbench.only=adminstreams): 10 clients, about 3 minutes. */
    private void runAdminStreamsCostOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        Duration window = Duration.ofSeconds(Long.getLong("bench.adminStreamsSeconds", 30));
        AdminStreamsCostResult cost = new AdminStreamsCostSuite(settings, window).run(serverConfig);
        Path results = output.resolve("results-adminstreams.md");
        Files.writeString(results, cost.markdown());
        System.out.println();
        System.out.print(cost.markdown());
        System.out.println("Written to " + results);
    }

    /**
     * The Open Inference Protocol against TF Serving's API on the same server (-Dbench.only=v2), REST and gRPC,
     * half_plus_two and the MLP: results-v2.md.
     */
    private void runOpenInferenceOnly(Path output, Path serverConfig) throws IOException, InterruptedException {
        WrkRunner wrk = new WrkRunner(output.resolve("wrk"));
        List<V2ProtocolSuite.Row> rows = new V2ProtocolSuite(wrk, settings, steady, warnings).run(serverConfig);
        String markdown = "Open Inference Protocol against TF Serving's API, c64, " + V2ProtocolSuite.ROUNDS
                + " rounds of " + settings.measurement().toSeconds() + " s each:\n\n" + V2ProtocolSuite.markdown(rows)
                + (warnings.all().isEmpty() ? "" : "\nWarnings:\n- " + String.join("\n- ", warnings.all()) + "\n");
        Path results = output.resolve("results-v2.md");
        Files.writeString(results, markdown);
        System.out.println();
        System.out.print(markdown);
        System.out.println("Written to " + results);
    }

    /** The TF1-vs-TF2 load times alone (-Dbench.only=load), about a minute. */
    private void runLoadTimeOnly(Path output) throws IOException {
        List<LoadTimeResult> loadTimes = new LoadTimeSuite().run(output.resolve("models-load"));
        ResultsTable report = new ResultsTable()
                .loadTime(loadTimes)
                .targets(List.of(TargetVerdicts.loadTime(loadTimes)))
                .warnings(warnings.all());
        publish(report, output.resolve("results-load.md"));
    }

    /** Writes the report to {@code results} and prints it. */
    private static void publish(ResultsTable report, Path results) throws IOException {
        report.writeTo(results);
        System.out.println();
        System.out.print(report.markdown());
        System.out.println();
        System.out.println("Written to " + results);
    }

    /**
     * half_plus_two first: the targets compare against its floor; from {@link #FIRST_BATCH_FLOOR} on, the MLP at
     * the batching servers' largest batch under each TensorFlow thread setting.
     */
    private List<FloorResult> measureFloor(DemoModelSet models) {
        InProcessFloor floor = new InProcessFloor(settings.warmUp(), settings.measurement());
        List<FloorResult> floors = new ArrayList<>(List.of(
                floor.measure("half_plus_two", models.halfPlusTwo(), new float[] {1.0f}),
                floor.measure("mlp", models.mlp(), Workload.mlpInstance())));
        for (TensorflowThreads threads : TensorflowThreads.all()) {
            floors.add(floor.measure("mlp", models.mlp(), Workload.mlpInstance(), ServeDeckFlags.MAX_BATCH_SIZE,
                    threads));
        }
        return floors;
    }

    /** Batching is held to the fastest the model runs in process at its batch size, whatever the threads. */
    private static FloorResult fastest(List<FloorResult> floors) {
        return floors.stream().max(Comparator.comparingDouble(FloorResult::rowsPerSecond)).orElseThrow();
    }
}
