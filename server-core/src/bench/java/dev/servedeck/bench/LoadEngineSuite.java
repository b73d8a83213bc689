package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.grpc.GrpcLoadTarget;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Issue 19's target for the load engine: on the same server and concurrency, at least 80% of wrk's req/s (REST)
 * and of h2load's calls/s (gRPC), half_plus_two at c8 and c64. One ServeDeck process; the engine runs in this
 * JVM (as it does in the console), the C tools as child processes with the same threads and connections
 * ({@link LoadLevel}: wrk -t2; h2load one connection up to 8 streams, two beyond, as the engine's gRPC default).
 * Tool and engine alternate in rounds in the order tool, engine, engine, tool, ... (ABBA), so that a
 * neighbour's load on this shared machine drifts into both medians alike.
 */
final class LoadEngineSuite {

    static final int ROUNDS = 4;
    private static final List<LoadLevel> LEVELS = List.of(LoadLevel.C8, LoadLevel.C64);
    private static final Workload WORKLOAD = Workload.halfPlusTwo();
    private static final PredictRequest GRPC_REQUEST = GrpcPredictRequests.halfPlusTwo();
    /** JIT warm-up of the engine's own code in this JVM, per API, before its first measured run. */
    private static final Duration ENGINE_WARM_UP = Duration.ofSeconds(5);

    private final WrkRunner wrk;
    private final H2loadRunner h2load;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;
    private final GrpcWarmUp grpcWarmUp;

    LoadEngineSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings)
            throws IOException {
        this.wrk = wrk;
        this.h2load = new H2loadRunner(settings.outputDir().resolve("h2load-loadengine"));
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
        this.grpcWarmUp = new GrpcWarmUp(h2load, steady, warnings);
    }

    List<LoadEngineComparison> run(Path serverConfig) throws IOException, InterruptedException {
        List<LoadEngineComparison> comparisons = new ArrayList<>();
        try (RunningServer server = RunningServer.startServeDeck(settings, serverConfig, "servedeck-loadengine",
                List.of())) {
            System.out.println("Load average before the load engine runs: " + loadAverage());
            restWarmUp.run(server, "ServeDeck", List.of(WORKLOAD));
            engine(restTarget(server, LoadLevel.C64), LoadLevel.C64, ENGINE_WARM_UP);
            for (LoadLevel level : LEVELS) {
                comparisons.add(compare(server, "REST", "wrk", level));
            }
            int answerBytes = answerBytes(server);
            grpcWarmUp.run(server, "ServeDeck", GRPC_REQUEST, answerBytes);
            engine(grpcTarget(server, LoadLevel.C64), LoadLevel.C64, ENGINE_WARM_UP);
            for (LoadLevel level : LEVELS) {
                comparisons.add(compare(server, "gRPC", "h2load", level, answerBytes));
            }
            System.out.println("Load average after the load engine runs: " + loadAverage());
        }
        return comparisons;
    }

    private LoadEngineComparison compare(RunningServer server, String api, String tool, LoadLevel level)
            throws IOException, InterruptedException {
        return compare(server, api, tool, level, 0);
    }

    private LoadEngineComparison compare(RunningServer server, String api, String tool, LoadLevel level,
            int answerBytes) throws IOException, InterruptedException {
        List<LoadEngineRun> toolRuns = new ArrayList<>();
        List<LoadEngineRun> engineRuns = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            // ABBA: the tool first in odd rounds, the engine first in even ones.
            if (round % 2 == 1) {
                toolRuns.add(measureTool(server, api, level, answerBytes, round));
                engineRuns.add(measureEngine(server, api, level, round));
            } else {
                engineRuns.add(measureEngine(server, api, level, round));
                toolRuns.add(measureTool(server, api, level, answerBytes, round));
            }
        }
        LoadEngineComparison comparison = new LoadEngineComparison(api, level, tool, toolRuns, engineRuns);
        System.out.printf("%s half_plus_two %s: engine / %s = %.2f (medians %s vs %s), load average %s%n", api,
                level.label(), tool, comparison.ratio(),
                Format.rate(LoadEngineComparison.median(engineRuns, LoadEngineRun::rate)),
                Format.rate(LoadEngineComparison.median(toolRuns, LoadEngineRun::rate)), loadAverage());
        return comparison;
    }

    private LoadEngineRun measureTool(RunningServer server, String api, LoadLevel level, int answerBytes, int round)
            throws IOException, InterruptedException {
        LoadEngineRun run;
        if (api.equals("REST")) {
            WrkResult result = wrk.run(server.restUrl(), server.headers(), WORKLOAD, level,
                    settings.measurement());
            run = new LoadEngineRun(result.requestsPerSecond(), result.p50Micros(), result.p99Micros(),
                    result.non2xx() + result.socketErrors());
        } else {
            GrpcLoadClient.Result result = h2load.predict(server.grpcUrl(), server.headers(), GRPC_REQUEST, answerBytes,
                    level, settings.measurement());
            GrpcLoadResult latencies = new GrpcLoadResult(GrpcLoadResult.H2LOAD, "half_plus_two", level, result);
            run = new LoadEngineRun(result.callsPerSecond(), latencies.p50Micros(), latencies.p99Micros(),
                    result.failures());
        }
        print(api + " " + (api.equals("REST") ? "wrk" : "h2load"), level, round, run);
        return run;
    }

    private LoadEngineRun measureEngine(RunningServer server, String api, LoadLevel level, int round)
            throws IOException, InterruptedException {
        LoadTarget target = api.equals("REST") ? restTarget(server, level) : grpcTarget(server, level);
        LoadResult result = engine(target, level, settings.measurement());
        LoadEngineRun run = new LoadEngineRun(result.requestsPerSecond(), result.latency().p50Micros(),
                result.latency().p99Micros(), result.failed());
        print(api + " engine", level, round, run);
        return run;
    }

    private static void print(String who, LoadLevel level, int round, LoadEngineRun run) {
        System.out.printf("%-16s %s round %d %9s /s  p50 %10s  p99 %10s  errors %d%n", who, level.label(), round,
                Format.rate(run.rate()), Format.micros(run.p50Micros()), Format.micros(run.p99Micros()), run.errors());
    }

    private LoadResult engine(LoadTarget target, LoadLevel level, Duration duration)
            throws IOException, InterruptedException {
        try {
            LoadResult result = LoadRun.start(target, LoadPlan.closedLoop(level.connections(), duration))
                    .result().get(duration.toSeconds() + 120, TimeUnit.SECONDS);
            if (result.failed() > 0) {
                warnings.warn("Load engine " + result.target() + " " + level.label() + ": " + result.failed()
                        + " failed of " + result.answered() + " " + result.errors());
            }
            return result;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the load engine failed: " + e, e);
        }
    }

    private static LoadTarget restTarget(RunningServer server, LoadLevel level) throws IOException {
        return RestLoadTarget.create(URI.create(server.restUrl() + WORKLOAD.path()),
                WORKLOAD.requestBody().getBytes(StandardCharsets.UTF_8), null, null, level.threads(), WORKLOAD.rows());
    }

    private static LoadTarget grpcTarget(RunningServer server, LoadLevel level)
            throws IOException, InterruptedException {
        return GrpcLoadTarget.create(new GrpcEndpoint("127.0.0.1", server.grpcPort(), null, null), GRPC_REQUEST,
                GrpcLoadTarget.defaultConnections(level.connections()), 1);
    }

    /** The answer's size, which h2load's calls are checked against. */
    private static int answerBytes(RunningServer server) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            GrpcAnswerCheck.verify(server.name(), channel);
            return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(GRPC_REQUEST).getSerializedSize();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
