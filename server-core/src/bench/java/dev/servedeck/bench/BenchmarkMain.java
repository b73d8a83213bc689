package dev.servedeck.bench;

import dev.servedeck.core.tensorflow.JavaCppPhysicalMemoryCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * get a fresh process each, one after the other; metrics off and on get two processes measured alternately;
 * the memory soak gets a fresh ServeDeck process, so that its "before load" reading really is before any load.
 */
public final class BenchmarkMain {

    /** Where {@link #measureFloor} puts the MLP at the batching servers' largest batch. */
    private static final int BATCH_FLOOR = 2;

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

        if (System.getProperty("bench.only", "all").equals("metrics")) {
            runMetricsCostOnly(output, serverConfig);
            return;
        }
        List<FloorResult> floors = measureFloor(models);

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
        BatchingComparison batching = new BatchingSuite(wrk, settings, steady, warnings).run(serverConfig,
                floors.get(BATCH_FLOOR));
        MetricsCostResult metricsCost = new MetricsCostSuite(wrk, settings, steady, warnings).run(serverConfig);
        MemoryResult memory;
        try (RunningServer serveDeck = RunningServer.startServeDeck(settings, serverConfig, "servedeck-memory")) {
            memory = new MemorySoak(wrk, warnings).run(serveDeck, settings.firstRssRequests(),
                    settings.soakRequests());
        }

        List<Verdict> verdicts = new ArrayList<>(TargetVerdicts.evaluate(floors.get(0), http, grpc, memory));
        verdicts.addAll(TargetVerdicts.batching(batching));
        verdicts.add(TargetVerdicts.metricsCost(metricsCost));
        ResultsTable report = new ResultsTable()
                .serverJvm(settings.serverJvmArgs())
                .machine(machine)
                .floor(floors)
                .http(http)
                .grpc(grpc, http)
                .batching(batching)
                .metricsCost(metricsCost)
                .memory(memory)
                .warmUps(steady)
                .targets(verdicts)
                .warnings(warnings.all());
        Path results = output.resolve("results.md");
        report.writeTo(results);
        System.out.println();
        System.out.print(report.markdown());
        System.out.println();
        System.out.println("Written to " + results);
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
        Path results = output.resolve("results-metrics.md");
        report.writeTo(results);
        System.out.println();
        System.out.print(report.markdown());
        System.out.println("Written to " + results);
    }

    /** half_plus_two first: the targets compare against its floor; the batching floor at {@link #BATCH_FLOOR}. */
    private List<FloorResult> measureFloor(DemoModelSet models) {
        InProcessFloor floor = new InProcessFloor(settings.warmUp(), settings.measurement());
        return List.of(
                floor.measure("half_plus_two", models.halfPlusTwo(), new float[] {1.0f}),
                floor.measure("mlp", models.mlp(), Workload.mlpInstance()),
                floor.measure("mlp", models.mlp(), Workload.mlpInstance(), ServeDeckFlags.MAX_BATCH_SIZE));
    }
}
