package dev.servedeck.core.loadgen.cli;

import dev.servedeck.core.loadgen.DurationText;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.loadgen.body.BinaryInferBody;
import dev.servedeck.core.loadgen.body.JsonInferRequest;
import dev.servedeck.core.loadgen.body.JsonPredictRequest;
import dev.servedeck.core.loadgen.body.PredictBodyRows;
import dev.servedeck.core.loadgen.body.RestSignatures;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.grpc.GrpcLoadTarget;
import dev.servedeck.core.loadgen.report.LoadResultJson;
import dev.servedeck.core.loadgen.report.LoadResultTable;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.Signatures;
import dev.servedeck.core.tls.ClientTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (see the server's --auth_tokens_file).")
    private String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Reads the bearer token from a file.")
    private Path tokenFile;

    @Option(names = "--cacert", paramLabel = "PEM",
            description = "Trust the certificates in this PEM file (TLS: https:// URLs, or gRPC with --tls).")
    private Path caCertificate;

    @Option(names = "--insecure", description = "TLS without checking the server's certificate.")
    private boolean insecure;

    @Option(names = "--tls", description = "gRPC over TLS (implied by --cacert or --insecure).")
    private boolean grpcTls;

    @Option(names = "--threads", defaultValue = "2", description = "REST: event loop threads (default ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--connections", paramLabel = "N",
            description = "gRPC: HTTP/2 connections the streams share (default 1 up to -c 8, else 2).")
    private Integer connections;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON ('-' for stdout).")
    private String json;

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
        String bearer = bearerToken();
        ClientTls tls = tls();
        LoadTarget target = protocol.url != null ? restTarget(bearer, tls) : grpcTarget(bearer, tls);
        LoadRun run = LoadRun.start(target, plan);
        LoadResult result = await(run, err);
        boolean jsonToStdout = "-".equals(json);
        (jsonToStdout ? err : out).print(LoadResultTable.write(result));
        (jsonToStdout ? err : out).flush();
        if (json != null) {
            String text = LoadResultJson.write(result);
            if (jsonToStdout) {
                out.println(text);
            } else {
                Files.writeString(Path.of(json), text + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            out.flush();
        }
        return 0;
    }

    private LoadPlan plan() {
        if (requests != null && duration != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --duration or --requests, not both");
        }
        Duration length = requests == null && duration == null ? Duration.ofSeconds(10) : duration;
        return new LoadPlan(concurrency, rate, length, requests == null ? 0 : requests, warmUp, timeout);
    }

    private LoadResult await(LoadRun run, PrintWriter err) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return run.result().get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!quiet) {
                    err.println(LoadResultTable.progress(run.snapshot()));
                    err.flush();
                }
            }
        }
    }

    private String bearerToken() throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        }
        return token;
    }

    /** Null for plaintext gRPC; for https:// URLs the JDK's roots unless told otherwise. */
    private ClientTls tls() throws IOException {
        if (insecure) {
            return ClientTls.trustingAnyone();
        }
        if (caCertificate != null) {
            return ClientTls.trusting(caCertificate);
        }
        return grpcTls || protocol.url != null ? ClientTls.trustingPublicRoots() : null;
    }

    private LoadTarget restTarget(String bearer, ClientTls tls) throws Exception {
        RestPredictUrl url = RestPredictUrl.of(protocol.url, model, version, servingProtocol);
        String json;
        if (body != null) {
            json = Files.readString(body, StandardCharsets.UTF_8);
        } else {
            if (url.model() == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--body is needed when the URL names no model");
            }
            boolean https = "https".equalsIgnoreCase(url.base().getScheme());
            List<SignatureInfo> signatures = Signatures.describe(RestSignatures.fetch(url.base(), url.model(),
                    url.version(), https ? tls.jdkContext() : null, bearer));
            json = url.protocol() == ServingProtocol.V2 ? LoadRequestBody.inferBody(signatures)
                    : LoadRequestBody.predictBody(signatures);
        }
        int rows = PredictBodyRows.of(json);
        if (binary) {
            if (url.protocol() != ServingProtocol.V2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--binary needs --protocol v2");
            }
            BinaryInferBody encoded = BinaryInferBody.of(json);
            return RestLoadTarget.create(url.predict(), encoded.bytes(), "application/octet-stream",
                    Map.of(BinaryInferBody.HEADER_LENGTH, Integer.toString(encoded.jsonLength())), bearer, tls, threads,
                    rows);
        }
        return RestLoadTarget.create(url.predict(), json.getBytes(StandardCharsets.UTF_8), bearer, tls, threads, rows);
    }

    private LoadTarget grpcTarget(String bearer, ClientTls tls) throws Exception {
        if (model == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--grpc needs --model");
        }
        if (binary) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--binary is for REST: gRPC v2 always sends raw_input_contents");
        }
        GrpcEndpoint endpoint = GrpcEndpoint.parse(protocol.grpc, tls, bearer);
        List<SignatureInfo> signatures = Signatures.describe(endpoint.signatureDefs(model, version));
        boolean v2 = servingProtocol == ServingProtocol.V2;
        String json = body != null ? Files.readString(body, StandardCharsets.UTF_8)
                : v2 ? LoadRequestBody.inferBody(signatures) : LoadRequestBody.predictBody(signatures);
        int channels = connections != null ? connections : GrpcLoadTarget.defaultConnections(concurrency);
        if (v2) {
            return GrpcLoadTarget.create(endpoint,
                    JsonInferRequest.of(json, model, version == null ? "" : version.toString()), channels,
                    PredictBodyRows.of(json));
        }
        return GrpcLoadTarget.create(endpoint, JsonPredictRequest.of(json, model, version, signatures),
                channels, PredictBodyRows.of(json));
    }

    /** Reads 10s, 500ms, 2m. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value);
        }
    }
}
