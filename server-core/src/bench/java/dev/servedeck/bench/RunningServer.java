package dev.servedeck.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A contender started as its own JVM on a free loopback port: the naive baseline or ServeDeck. Both get the
 * same java binary, the same extra JVM options and the same TensorFlow log level. ServeDeck also serves gRPC
 * on a second free port, and gets the extra server flags of {@code bench.serverArgs}.
 */
final class RunningServer implements AutoCloseable {

    static final String BASELINE = "baseline";
    static final String SERVEDECK = "ServeDeck";

    /** First start on a machine unpacks TensorFlow's natives (6-8 s) and both servers load two models. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, String> ENVIRONMENT = Map.of("TF_CPP_MIN_LOG_LEVEL", "1");

    /** The baseline speaks REST only. */
    private static final int NO_GRPC = 0;

    private final String name;
    private final int port;
    private final int grpcPort;
    private final ChildProcess process;
    /** A client context trusting the server's certificate when it serves TLS (both ports then). */
    private final Optional<SSLContext> tls;
    private final Path log;
    private final Map<String, String> headers;

    private RunningServer(String name, int port, int grpcPort, ChildProcess process, Optional<SSLContext> tls,
            Path log, Map<String, String> headers) {
        this.name = name;
        this.port = port;
        this.grpcPort = grpcPort;
        this.process = process;
        this.tls = tls;
        this.log = log;
        this.headers = Map.copyOf(headers);
    }

    static RunningServer startBaseline(BenchmarkSettings settings, DemoModelSet models)
            throws IOException, InterruptedException {
        int port = FreePort.find();
        List<String> command = javaCommand(settings);
        command.addAll(List.of("-Dsun.net.httpserver.nodelay=true",
                "-cp", System.getProperty("java.class.path"),
                NaiveBaselineServer.class.getName(),
                Integer.toString(port),
                "half_plus_two=" + models.halfPlusTwo(),
                "mlp=" + models.mlp()));
        return startAndVerify(BASELINE, port, NO_GRPC, command, settings.outputDir().resolve("logs/baseline.log"),
                Optional.empty(), Map.of());
    }

    static RunningServer startServeDeck(BenchmarkSettings settings, Path modelConfig, String logName)
            throws IOException, InterruptedException {
        return startServeDeck(settings, modelConfig, logName, List.of());
    }

    /** With {@code variantFlags} (batching, monitoring, ...) after {@code bench.serverArgs}, so they win. */
    static RunningServer startServeDeck(BenchmarkSettings settings, Path modelConfig, String logName,
            List<String> variantFlags) throws IOException, InterruptedException {
        return startServeDeck(settings, modelConfig, logName, variantFlags, Optional.empty());
    }

    /**
     * With TLS when {@code tls} is given: {@code variantFlags} then hold {@code --ssl_config_file}, and the
     * context trusts its certificate (the benchmark's own checks and scrapes; wrk and h2load do not verify).
     */
    static RunningServer startServeDeck(BenchmarkSettings settings, Path modelConfig, String logName,
            List<String> variantFlags, Optional<SSLContext> tls) throws IOException, InterruptedException {
        return startServeDeck(settings, modelConfig, logName, variantFlags, tls, Map.of());
    }

    /**
     * For a server every request must send {@code headers} to (a bearer token): the readiness check and
     * {@link #headers()} carry them.
     */
    static RunningServer startServeDeck(BenchmarkSettings settings, Path modelConfig, String logName,
            List<String> variantFlags, Optional<SSLContext> tls, Map<String, String> headers)
            throws IOException, InterruptedException {
        int port = FreePort.find();
        // Always a free port: ServeDeck's default gRPC port (8500) may be taken by another server or run.
        int grpcPort = FreePort.findOtherThan(port);
        List<String> command = javaCommand(settings);
        command.addAll(List.of("-jar", settings.serverJar().toString(),
                "--model_config_file=" + modelConfig,
                "--rest_api_port=" + port,
                "--port=" + grpcPort,
                "--file_system_poll_wait_seconds=" + settings.fileSystemPollWaitSeconds()));
        command.addAll(settings.serverArgs());
        command.addAll(variantFlags);
        return startAndVerify(SERVEDECK, port, grpcPort, command,
                settings.outputDir().resolve("logs/" + logName + ".log"), tls, headers);
    }

    private static List<String> javaCommand(BenchmarkSettings settings) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.serverJvmArgs());
        return command;
    }

    private static RunningServer startAndVerify(String name, int port, int grpcPort, List<String> command, Path log,
            Optional<SSLContext> tls, Map<String, String> headers) throws IOException, InterruptedException {
        ChildProcess process = ChildProcess.start(name, command, ENVIRONMENT, log);
        try {
            PredictionCheck check = new PredictionCheck(name, scheme(tls) + "127.0.0.1:" + port, httpClient(tls),
                    headers);
            process.awaitReady(() -> check.answers(Workload.halfPlusTwo()) && check.answers(Workload.mlp()),
                    STARTUP_TIMEOUT);
            check.verifyAnswers();
            return new RunningServer(name, port, grpcPort, process, tls, log, headers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, or https when the server serves TLS. */
    String restUrl() {
        return scheme(tls) + "127.0.0.1:" + port;
    }

    /** The gRPC port as h2load takes it: {@code https://} makes it speak TLS with ALPN h2. */
    String grpcUrl() {
        return scheme(tls) + "127.0.0.1:" + grpcPort();
    }

    /** An HTTP/1.1 client for the REST port: trusting the server's certificate when it serves TLS. */
    HttpClient httpClient() {
        return httpClient(tls);
    }

    /** Headers every request to this server sends (HTTP names; gRPC sends them as lower-case metadata). */
    Map<String, String> headers() {
        return headers;
    }

    boolean tls() {
        return tls.isPresent();
    }

    /** The server's own log, for what it says about itself (e.g. which TLS implementation it uses). */
    Path log() {
        return log;
    }

    private static String scheme(Optional<SSLContext> tls) {
        return tls.isPresent() ? "https://" : "http://";
    }

    private static HttpClient httpClient(Optional<SSLContext> tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        tls.ifPresent(builder::sslContext);
        return builder.build();
    }

    int grpcPort() {
        if (grpcPort == NO_GRPC) {
            throw new IllegalStateException(name + " serves no gRPC");
        }
        return grpcPort;
    }

    long rssKibibytes() throws IOException {
        return ProcessRss.kibibytes(process.pid());
    }

    /** CPU time the server has used so far, user and system. */
    long cpuNanos() throws IOException {
        return ProcessCpu.nanos(process.pid());
    }

    @Override
    public void close() {
        process.close();
    }
}
