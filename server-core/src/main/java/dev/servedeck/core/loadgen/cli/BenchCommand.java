package dev.servedeck.core.loadgen.cli;

import dev.servedeck.core.loadgen.DurationText;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.report.LoadResultJson;
import dev.servedeck.core.loadgen.report.LoadResultTable;
import dev.servedeck.core.loadgen.report.SweepCsv;
import dev.servedeck.core.loadgen.report.SweepJson;
import dev.servedeck.core.loadgen.report.SweepTable;
import dev.servedeck.core.loadgen.sweep.ConcurrencySweep;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code servedeck-bench}: load for a TensorFlow Serving-compatible server from the command line, over REST or
 * gRPC, closed or open loop, with a table on stdout and JSON on request. See docs/load-engine.md.
 */
@Command(name = "servedeck-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sends Predict (or Open Inference Protocol infer) load over REST or gRPC and reports req/s, rows/s, latency percentiles and "
                + "errors by status.")
public final class BenchCommand implements Callable<Integer> {

    /** How often progress is printed while a run goes. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Protocol protocol;

    static final class Protocol {
        @Option(names = "--url", paramLabel = "URL",
                description = "REST: a Predict URL (http://127.0.0.1:8501/v1/models/NAME:predict), or the server "
                        + "(http://127.0.0.1:8501) with --model. https:// for TLS.")
        String url;

        @Option(names = "--grpc", paramLabel = "HOST:PORT", description = "gRPC: the server's gRPC port (needs --model).")
        String grpc;
    }

    @Option(names = "--protocol", paramLabel = "v1|v2",
            description = "v1: TF Serving's API (:predict, PredictionService/Predict); v2: the Open Inference "
                    + "Protocol (/v2/models/NAME/infer, GRPCInferenceService/ModelInfer). Default: v1, or what the "
                    + "--url says.")
    private ServingProtocol servingProtocol;

    @Option(names = {"-m", "--model"}, description = "The model (read from --url when it is a Predict URL).")
    private String model;

    @Option(names = "--model-version", paramLabel = "N", description = "A version of the model (default: the latest).")
    private Long version;

    @Option(names = {"-b", "--body"}, paramLabel = "FILE",
            description = "The request body in the protocol's REST JSON: TF Serving's Predict JSON for v1 (also for "
                    + "gRPC, converted with the signature's dtypes), the Open Inference Protocol's inference JSON for "
                    + "v2 (for gRPC sent as raw_input_contents). Default: built from the model's signature, as the "
                    + "console builds it.")
    private Path body;

    @Option(names = "--binary",
            description = "REST with --protocol v2: tensors as bytes both ways (the binary tensor extension).")
    private boolean binary;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "8",
            description = "Requests in flight at most: REST connections, gRPC streams (default ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = {"-r", "--rate"}, defaultValue = "0", paramLabel = "REQ/S",
            description = "Open loop: send this many requests per second (latency counted from each request's "
                    + "intended send time). Default: closed loop.")
    private double rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long to measure: 10s, 500ms, 2m (default 10s unless --requests).")
    private Duration duration;

    @Option(names = {"-n", "--requests"}, paramLabel = "N", description = "Measure this many requests instead.")
    private Long requests;

    @Option(names = {"-w", "--warmup"}, defaultValue = "1s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Load before measuring, not counted (default ${DEFAULT-VALUE}).")
    private Duration warmUp;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "A request without an answer after this long counts as 'timeout' (default ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Mixin
    private ClientOptions client;

    @Option(names = "--sweep", arity = "0..1", paramLabel = "LEVELS", fallbackValue = "1,2,4,8,16,32,64",
            description = "Runs the load at each of these concurrency levels in turn (default 1,2,4,8,16,32,64), "
                    + "each for --duration or --requests, and prints one row per level (-c is then ignored).")
    private String sweep;

    @Option(names = "--threads", defaultValue = "2", description = "REST: event loop threads (default ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--connections", paramLabel = "N",
            description = "gRPC: HTTP/2 connections the streams share (default 1 up to -c 8, else 2).")
    private Integer connections;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON ('-' for stdout).")
    private String json;

    @Option(names = "--csv", paramLabel = "FILE", description = "With --sweep: also write a row per level as CSV.")
    private Path csv;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines while running.")
    private boolean quiet;

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        // A server that is down or a model that is missing is an answer for the operator, not a stack trace.
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println("servedeck-bench: " + e.getMessage()
                    + (e.getCause() != null && e.getCause().getMessage() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadPlan plan = plan();
        LoadRunner runner = runner(client.bearerToken());
        if (sweep != null) {
            SweepPlan levels = new SweepPlan(SweepPlan.parseLevels(sweep), plan);
            ConcurrencySweep running = new ConcurrencySweep(runner, levels);
            CompletableFuture<SweepResult> done = running.start();
            SweepResult result = await(done, () -> SweepTable.progress(running.progress()), err);
            report(SweepTable.write(result), SweepJson.write(result), out, err);
            if (csv != null) {
                Files.writeString(csv, SweepCsv.write(result), StandardCharsets.UTF_8);
            }
            return 0;
        }
        LoadRun run = runner.start(plan);
        LoadResult result = await(run.result(), () -> LoadResultTable.progress(run.snapshot()), err);
        report(LoadResultTable.write(result), LoadResultJson.write(result), out, err);
        return 0;
    }

    /** The table on stdout (stderr when the JSON goes to stdout), and the JSON where --json says. */
    private void report(String table, String jsonText, PrintWriter out, PrintWriter err) throws IOException {
        boolean jsonToStdout = "-".equals(json);
        (jsonToStdout ? err : out).print(table);
        (jsonToStdout ? err : out).flush();
        if (json != null) {
            if (jsonToStdout) {
                out.println(jsonText);
            } else {
                Files.writeString(Path.of(json), jsonText + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            out.flush();
        }
    }

    private LoadPlan plan() {
        if (requests != null && duration != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --duration or --requests, not both");
        }
        Duration length = requests == null && duration == null ? Duration.ofSeconds(10) : duration;
        return new LoadPlan(concurrency, rate, length, requests == null ? 0 : requests, warmUp, timeout);
    }

    private <T> T await(CompletableFuture<T> result, Supplier<String> progress, PrintWriter err)
            throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return result.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!quiet) {
                    err.println(progress.get());
                    err.flush();
                }
            }
        }
    }

    private LoadRunner runner(String bearer) throws Exception {
        // Flag combinations are usage errors (exit 2, with the usage), as picocli reports its own.
        if (binary && protocol.grpc != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--binary is for REST: gRPC v2 always sends raw_input_contents");
        }
        if (binary && RestPredictUrl.of(protocol.url, model, version, servingProtocol).protocol() != ServingProtocol.V2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--binary needs --protocol v2");
        }
        if (protocol.grpc != null && model == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--grpc needs --model");
        }
        return protocol.url != null
                ? PredictLoadRunners.rest(protocol.url, model, version, servingProtocol, body, binary, bearer, client,
                        threads)
                : PredictLoadRunners.grpc(protocol.grpc, model, version, servingProtocol, body, binary, bearer, client,
                        connections);
    }

    /** Reads 10s, 500ms, 2m. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value);
        }
    }
}
