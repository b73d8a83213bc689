package dev.servedeck.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private RunningServer(String name, int port, int grpcPort, ChildProcess process) {
        this.name = name;
        this.port = port;
        this.grpcPort = grpcPort;
        this.process = process;
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
        return startAndVerify(BASELINE, port, NO_GRPC, command, settings.outputDir().resolve("logs/baseline.log"));
    }

    static RunningServer startServeDeck(BenchmarkSettings settings, Path modelConfig, String logName)
            throws IOException, InterruptedException {
        return startServeDeck(settings, modelConfig, logName, List.of());
    }

    /** With {@code variantFlags} (batching, monitoring, ...) after {@code bench.serverArgs}, so they win. */
    static RunningServer startServeDeck(BenchmarkSettings settings, Path modelConfig, String logName,
            List<String> variantFlags) throws IOException, InterruptedException {
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
                settings.outputDir().resolve("logs/" + logName + ".log"));
    }

    private static List<String> javaCommand(BenchmarkSettings settings) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.serverJvmArgs());
        return command;
    }

    private static RunningServer startAndVerify(String name, int port, int grpcPort, List<String> command, Path log)
            throws IOException, InterruptedException {
        ChildProcess process = ChildProcess.start(name, command, ENVIRONMENT, log);
        try {
            PredictionCheck check = new PredictionCheck(name, port);
            process.awaitReady(() -> check.answers(Workload.halfPlusTwo()) && check.answers(Workload.mlp()),
                    STARTUP_TIMEOUT);
            check.verifyAnswers();
            return new RunningServer(name, port, grpcPort, process);
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

    int grpcPort() {
        if (grpcPort == NO_GRPC) {
            throw new IllegalStateException(name + " serves no gRPC");
        }
        return grpcPort;
    }

    long rssKibibytes() throws IOException {
        return ProcessRss.kibibytes(process.pid());
    }

    @Override
    public void close() {
        process.close();
    }
}
