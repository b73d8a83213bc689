package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Server-side batching (issue 4): the MLP at c64 over REST and gRPC against two fresh ServeDeck processes,
 * one with batching off and one with it on, run one after the other so they never share the cores. Both
 * serve Prometheus metrics and use the same TensorFlow threads, so that batching is the only difference;
 * the "on" server's metrics are scraped around each measured run for the mean batch size it formed.
 */
final class BatchingSuite {

    private static final Workload WORKLOAD = Workload.mlp();

    private final WrkRunner wrk;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;
    private final GrpcWarmUp grpcWarmUp;
    private final H2loadRunner h2load;

    BatchingSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings)
            throws IOException {
        this.wrk = wrk;
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
        this.h2load = new H2loadRunner(settings.outputDir().resolve("batching/h2load"));
        this.grpcWarmUp = new GrpcWarmUp(h2load, steady, warnings);
    }

    BatchingComparison run(Path serverConfig, FloorResult floorAtBatchSize, TensorflowThreads threads)
            throws IOException, InterruptedException {
        Path dir = settings.outputDir().resolve("batching");
        List<String> common = new ArrayList<>(ServeDeckFlags.prometheus(dir));
        common.addAll(threads.flags());
        List<String> batching = ServeDeckFlags.batching(dir, settings.batchTimeoutMicros());
        String logSuffix = threads.isDefault() ? "" : "-intra" + threads.intraOpParallelism();
        BatchingResult off = measure(serverConfig, "batching off", "servedeck-batching-off" + logSuffix, common,
                List.of(), threads);
        BatchingResult on = measure(serverConfig, "batching on", "servedeck-batching-on" + logSuffix, common,
                batching, threads);
        return new BatchingComparison(off, on, floorAtBatchSize,
                ServeDeckFlags.batchingParameters(settings.batchTimeoutMicros()), threads);
    }

    private BatchingResult measure(Path serverConfig, String variant, String logName, List<String> common,
            List<String> batching, TensorflowThreads threads) throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>(common);
        flags.addAll(batching);
        try (RunningServer server = RunningServer.startServeDeck(settings, serverConfig, logName, flags)) {
            String label = "ServeDeck " + variant + (threads.isDefault() ? "" : ", " + threads.label());
            restWarmUp.run(server, label, List.of(WORKLOAD));
            check(label + " warm-up", wrk.run(server.port(), WORKLOAD, LoadLevel.C64, settings.warmUp()));
            PrometheusScrape before = PrometheusScrape.of(server);
            WrkResult measured = wrk.run(server.port(), WORKLOAD, LoadLevel.C64, settings.measurement());
            check(label, measured);
            MeanBatchSize batchSize = batching.isEmpty() ? MeanBatchSize.notBatching()
                    : MeanBatchSize.between(before, PrometheusScrape.of(server));
            System.out.printf("%-22s mlp c64 %8s rows/s  p50 %10s  p99 %10s  mean batch %s (%s)%n", label,
                    Format.rate(measured.requestsPerSecond()), Format.micros(measured.p50Micros()),
                    Format.micros(measured.p99Micros()), batchSize.label(), batchSize.source());
            GrpcRun grpc = measureGrpc(server, label, !batching.isEmpty());
            return new BatchingResult(variant, batching.isEmpty() ? "(none)" : String.join(" ", batching), measured,
                    batchSize, grpc.load(), grpc.batchSize());
        }
    }

    /** One measured gRPC run and the batches the server formed during it. */
    private record GrpcRun(GrpcLoadClient.Result load, MeanBatchSize batchSize) {
    }

    /**
     * The same MLP load over gRPC: tensors travel as binary tensor_content, so this shows what batching
     * gives when JSON parsing does not dominate. h2load drives it, as in the gRPC table; grpc-java only
     * measures the size of a correct answer, which h2load's runs are checked against.
     */
    private GrpcRun measureGrpc(RunningServer server, String label, boolean batching)
            throws IOException, InterruptedException {
        PredictRequest request = GrpcPredictRequests.mlp();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        int answerBytes;
        try {
            answerBytes = PredictionServiceGrpc.newBlockingStub(channel).predict(request).getSerializedSize();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        grpcWarmUp.run(server, label, request, answerBytes);
        PrometheusScrape before = PrometheusScrape.of(server);
        GrpcLoadClient.Result measured = h2load.predict(server.grpcPort(), request, answerBytes, LoadLevel.C64,
                settings.measurement());
        MeanBatchSize batchSize = batching ? MeanBatchSize.between(before, PrometheusScrape.of(server))
                : MeanBatchSize.notBatching();
        if (measured.failures() > 0) {
            warnings.warn(label + " gRPC mlp c64: " + measured.failures() + " calls answered without a message");
        }
        System.out.printf("%-22s mlp c64 gRPC %8s rows/s  p50 %10s  p99 %10s  mean batch %s (h2load)%n", label,
                Format.rate(measured.callsPerSecond()), Format.micros(measured.p50().toNanos() / 1_000.0),
                Format.micros(measured.p99().toNanos() / 1_000.0), batchSize.label());
        return new GrpcRun(measured, batchSize);
    }

    private void check(String run, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(run + " mlp c64: " + result.non2xx() + " non-2xx responses and " + result.socketErrors()
                    + " socket errors in " + result.requests() + " requests");
        }
    }
}
