package dev.servedeck.core.batching.tuning.cli;

import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.tuning.BatchingTuner;
import dev.servedeck.core.batching.tuning.SweepTuningLoad;
import dev.servedeck.core.batching.tuning.TuningGoal;
import dev.servedeck.core.batching.tuning.TuningListener;
import dev.servedeck.core.batching.tuning.TuningReport;
import dev.servedeck.core.batching.tuning.TuningResult;
import dev.servedeck.core.batching.tuning.TuningSpace;
import dev.servedeck.core.batching.tuning.TuningStep;
import dev.servedeck.core.batching.tuning.admin.AdminApiBatchingControl;
import dev.servedeck.core.loadgen.DurationText;
import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.cli.ClientOptions;
import dev.servedeck.core.loadgen.cli.PredictLoadRunners;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code servedeck-server.jar tune}: finds batching parameters for a latency target on a running ServeDeck server,
 * through its admin API, and restores the parameters it started from. See docs/batching-tuning.md.
 */
@Command(name = "servedeck-tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sends real load to a running ServeDeck server while trying batching parameters live (admin "
                + "API), proposes the ones with the most throughput within a p99 target, and restores the parameters "
                + "in force when it ends.")
public final class TuneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT",
            description = "The server's gRPC port: its admin API (ApplyBatchingParameters) and, unless --rest, the load.")
    private String server;

    @Option(names = "--rest", paramLabel = "URL", description = "Send the load over REST to this base URL "
            + "(http://127.0.0.1:8501) instead of gRPC.")
    private String rest;

    @Option(names = {"-m", "--model"}, required = true, description = "The model to load.")
    private String model;

    @Option(names = "--model-version", paramLabel = "N", description = "A version of the model (default: the latest).")
    private Long version;

    @Option(names = {"-b", "--body"}, paramLabel = "FILE",
            description = "A Predict body (TF Serving's REST JSON). Default: built from the model's signature.")
    private Path body;

    @Option(names = "--p99-ms", required = true, paramLabel = "MS", description = "The latency target: p99 at most this.")
    private double p99Millis;

    @Option(names = "--levels", paramLabel = "LIST", defaultValue = "1,2,4,8,16,32,64",
            description = "Concurrency levels each step climbs until the target breaks (default ${DEFAULT-VALUE}).")
    private String levels;

    @Option(names = "--per-level", paramLabel = "TIME", defaultValue = "3s", converter = DurationConverter.class,
            description = "How long each level is measured (default ${DEFAULT-VALUE}).")
    private Duration perLevel;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "500ms", converter = DurationConverter.class,
            description = "Load before each level's measurement, not counted (default ${DEFAULT-VALUE}).")
    private Duration warmUp;

    @Option(names = "--max-rate", paramLabel = "REQ/S", defaultValue = "0",
            description = "Never send more than this many requests per second (each level an open loop at this rate). "
                    + "Default: no bound (closed loops).")
    private double maxRate;

    @Option(names = "--budget", paramLabel = "TIME", defaultValue = "10m", converter = DurationConverter.class,
            description = "The whole search's time: no step starts after it (default ${DEFAULT-VALUE}).")
    private Duration budget;

    @Option(names = "--max-batch-sizes", paramLabel = "LIST", defaultValue = "8,16,32,64,128",
            description = "max_batch_size values to try (default ${DEFAULT-VALUE}).")
    private String maxBatchSizes;

    @Option(names = "--batch-threads", paramLabel = "LIST",
            description = "num_batch_threads values to try (default 1, 2 and this machine's cores).")
    private String batchThreads;

    @Option(names = "--timeouts-micros", paramLabel = "LIST", defaultValue = "0,500,1000,2000,5000",
            description = "batch_timeout_micros values to try (default ${DEFAULT-VALUE}).")
    private String timeouts;

    @Option(names = "--write", paramLabel = "FILE",
            description = "Write the proposal as a --batching_parameters_file (nothing is applied to the server).")
    private Path write;

    @Option(names = {"-q", "--quiet"}, description = "No line per concurrency level while running.")
    private boolean quiet;

    @Mixin
    private ClientOptions client;

    @Option(names = "--threads", defaultValue = "2", description = "REST: event loop threads (default ${DEFAULT-VALUE}).")
    private int threads;

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TuneCommand());
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println("servedeck-tune: " + e.getMessage());
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bearer = client.bearerToken();
        TuningGoal goal = new TuningGoal(Duration.ofNanos(Math.round(p99Millis * 1e6)), SweepPlan.parseLevels(levels),
                perLevel, warmUp, maxRate, budget);
        TuningSpace space = new TuningSpace(longs(maxBatchSizes), batchThreads == null
                ? TuningSpace.defaults(Runtime.getRuntime().availableProcessors()).numBatchThreads()
                : longs(batchThreads), longs(timeouts));
        LoadRunner runner = rest != null
                ? PredictLoadRunners.rest(rest, model, version, null, body, false, bearer, client, threads)
                : PredictLoadRunners.grpc(server, model, version, null, body, false, bearer, client, null);
        try (AdminApiBatchingControl control = new AdminApiBatchingControl(
                GrpcEndpoint.parse(server, client.tls(false), bearer))) {
            BatchingTuner tuner = new BatchingTuner(control, new SweepTuningLoad(runner, goal), goal, space,
                    Clock.systemUTC()).listener(new Printer(out, err, goal));
            // Ctrl+C: stop the search and put the parameters back before the JVM exits.
            Thread restoreOnExit = new Thread(() -> tuner.stopAndAwait(Duration.ofSeconds(20)), "tune-restore");
            Runtime.getRuntime().addShutdownHook(restoreOnExit);
            out.printf("Tuning %s on %s: p99 <= %.1f ms, levels %s, %s per level, budget %s%s%n", model, server,
                    p99Millis, goal.levels(), DurationText.of(perLevel), DurationText.of(budget),
                    maxRate > 0 ? String.format(", at most %.0f req/s", maxRate) : "");
            out.flush();
            TuningResult result = tuner.run();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException exiting) {
                // the JVM is already exiting: the hook runs anyway and finds the search done
            }
            out.print(TuningReport.write(result, goal));
            if (write != null && result.proposal().isPresent()) {
                Files.writeString(write, BatchingParametersFile.print(result.proposal().get().options()),
                        StandardCharsets.UTF_8);
                out.println("Wrote the proposal to " + write);
            }
            out.flush();
            return result.ending() == TuningResult.Ending.FAILED || !result.restored() ? 1 : 0;
        }
    }

    private static List<Long> longs(String list) {
        return SweepPlan.parseLevels(list).stream().map(Integer::longValue).toList();
    }

    /** A line per level (stderr) and per step (stdout) as the search goes. */
    private final class Printer implements TuningListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final TuningGoal goal;

        Printer(PrintWriter out, PrintWriter err, TuningGoal goal) {
            this.out = out;
            this.err = err;
            this.goal = goal;
        }

        @Override
        public void levelMeasured(int step, SweepPoint point) {
            if (!quiet) {
                err.println(TuningReport.levelLine(step, point, goal));
                err.flush();
            }
        }

        @Override
        public void stepDone(TuningStep step) {
            out.println(TuningReport.stepLine(step));
            out.flush();
        }
    }

    /** Reads 10s, 500ms, 2m. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value);
        }
    }
}
