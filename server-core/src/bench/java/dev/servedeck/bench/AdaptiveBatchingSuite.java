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
 * The adaptive batch timeout (issue 19): three ServeDeck processes up side by side, batching off, batching with
 * TF Serving's fixed timeout ({@code --batching_adaptive_timeout=false}) and batching with the adaptive timeout
 * (the default), both batching ones with the same parameters and a timeout that matters
 * ({@code bench.adaptiveBatchTimeoutMicros}, 2000 us as in the README). Each kind of run goes to the three in
 * turn (the first time after a warm-up run of its own), so a neighbour's load on this shared machine drifts into
 * all three alike; the two not measured sit idle. One client at a time (wrk -c1, h2load with one call in flight)
 * shows what a lone request pays; 64 at a time shows what batching earns. The judged kinds go round
 * {@value #ROUNDS} times and each process is held to its median round: in trial runs a neighbour's burst during
 * one 10 s run cost that run a quarter of its rate (its batches as full as ever), or doubled a c1 p50. All serve
 * Prometheus, for the mean batch size, and run TF Serving's default TensorFlow threads.
 */
final class AdaptiveBatchingSuite {

    static final int ROUNDS = 3;

    private static final Workload HALF_PLUS_TWO = Workload.halfPlusTwo();
    private static final Workload MLP = Workload.mlp();

    private final WrkRunner wrk;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;
    private final GrpcWarmUp grpcWarmUp;
    private final H2loadRunner h2load;

    AdaptiveBatchingSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings)
            throws IOException {
        this.wrk = wrk;
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
        this.h2load = new H2loadRunner(settings.outputDir().resolve("adaptive-batching/h2load"));
        this.grpcWarmUp = new GrpcWarmUp(h2load, steady, warnings);
    }

    AdaptiveBatchingComparison run(Path serverConfig) throws IOException, InterruptedException {
        Path dir = settings.outputDir().resolve("adaptive-batching");
        long timeout = settings.adaptiveBatchTimeoutMicros();
        List<String> monitoring = ServeDeckFlags.prometheus(dir);
        List<String> batching = concat(monitoring, ServeDeckFlags.batching(dir, timeout));
        List<String> fixed = concat(batching, ServeDeckFlags.fixedBatchTimeout());
        try (RunningServer offServer = RunningServer.startServeDeck(settings, serverConfig,
                        "servedeck-adaptive-comparison-off", monitoring);
                RunningServer fixedServer = RunningServer.startServeDeck(settings, serverConfig,
                        "servedeck-adaptive-comparison-fixed", fixed);
                RunningServer adaptiveServer = RunningServer.startServeDeck(settings, serverConfig,
                        "servedeck-adaptive-comparison-adaptive", batching)) {
            List<Contender> contenders = List.of(
                    new Contender("batching off", "(none)", offServer, false),
                    new Contender("fixed timeout", String.join(" ", ServeDeckFlags.fixedBatchTimeout()), fixedServer,
                            true),
                    new Contender("adaptive timeout", "(default)", adaptiveServer, true));
            PredictRequest mlp = GrpcPredictRequests.mlp();
            for (Contender contender : contenders) {
                restWarmUp.run(contender.server, contender.label(), List.of(HALF_PLUS_TWO, MLP));
                contender.mlpAnswerBytes = answerBytes(contender.server, mlp);
                grpcWarmUp.run(contender.server, contender.label(), mlp, contender.mlpAnswerBytes);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Contender contender : contenders) {
                    contender.halfPlusTwoC1.add(measureRest(contender, HALF_PLUS_TWO, LoadLevel.C1, round == 0));
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Contender contender : contenders) {
                    contender.mlpC1.add(measureRest(contender, MLP, LoadLevel.C1, round == 0));
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Contender contender : contenders) {
                    contender.grpcMlpC1.add(measureGrpc(contender, mlp, LoadLevel.C1, round == 0));
                }
            }
            for (Contender contender : contenders) {
                PrometheusScrape before = PrometheusScrape.of(contender.server);
                contender.mlpC64 = measureRest(contender, MLP, LoadLevel.C64, true);
                contender.mlpC64Batch = batchSize(contender, before);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Contender contender : contenders) {
                    PrometheusScrape before = PrometheusScrape.of(contender.server);
                    GrpcLoadClient.Result measured = measureGrpc(contender, mlp, LoadLevel.C64, round == 0);
                    contender.grpcMlpC64.add(new AdaptiveBatchingResult.GrpcC64Run(measured,
                            batchSize(contender, before)));
                }
            }
            return new AdaptiveBatchingComparison(timeout, ServeDeckFlags.batchingParameters(timeout),
                    contenders.get(0).result(), contenders.get(1).result(), contenders.get(2).result());
        }
    }

    /** @param warmUp whether a warm-up run at this load goes first (only before a kind's first round) */
    private WrkResult measureRest(Contender contender, Workload workload, LoadLevel level, boolean warmUp)
            throws IOException, InterruptedException {
        String run = contender.label() + " REST " + workload.model() + " " + level.label();
        if (warmUp) {
            check(run + " warm-up", wrk.run(contender.server.port(), workload, level, settings.warmUp()));
        }
        WrkResult measured = wrk.run(contender.server.port(), workload, level, settings.measurement());
        check(run, measured);
        System.out.printf("%-50s %8s req/s  p50 %10s  p99 %10s%n", run, Format.rate(measured.requestsPerSecond()),
                Format.micros(measured.p50Micros()), Format.micros(measured.p99Micros()));
        return measured;
    }

    private GrpcLoadClient.Result measureGrpc(Contender contender, PredictRequest request, LoadLevel level,
            boolean warmUp) throws IOException, InterruptedException {
        String run = contender.label() + " gRPC " + request.getModelSpec().getName() + " " + level.label();
        int port = contender.server.grpcPort();
        if (warmUp) {
            check(run + " warm-up", h2load.predict(port, request, contender.mlpAnswerBytes, level, settings.warmUp()));
        }
        GrpcLoadClient.Result measured = h2load.predict(port, request, contender.mlpAnswerBytes, level,
                settings.measurement());
        check(run, measured);
        System.out.printf("%-50s %8s calls/s  p50 %10s  p99 %10s (h2load)%n", run,
                Format.rate(measured.callsPerSecond()), Format.micros(measured.p50().toNanos() / 1_000.0),
                Format.micros(measured.p99().toNanos() / 1_000.0));
        return measured;
    }

    private static MeanBatchSize batchSize(Contender contender, PrometheusScrape before)
            throws IOException, InterruptedException {
        return contender.batching ? MeanBatchSize.between(before, PrometheusScrape.of(contender.server))
                : MeanBatchSize.notBatching();
    }

    /** The size of a correct answer, which h2load's calls are checked against. */
    private static int answerBytes(RunningServer server, PredictRequest request) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            return PredictionServiceGrpc.newBlockingStub(channel).predict(request).getSerializedSize();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void check(String run, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(run + ": " + result.non2xx() + " non-2xx responses and " + result.socketErrors()
                    + " socket errors in " + result.requests() + " requests");
        }
    }

    private void check(String run, GrpcLoadClient.Result result) {
        if (result.failures() > 0) {
            warnings.warn(run + ": " + result.failures() + " calls answered without a message in " + result.calls());
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** One of the three processes and its measurements, filled in as the runs go round. */
    private static final class Contender {

        private final String variant;
        private final String flags;
        private final RunningServer server;
        private final boolean batching;
        private int mlpAnswerBytes;
        private final List<WrkResult> halfPlusTwoC1 = new ArrayList<>();
        private final List<WrkResult> mlpC1 = new ArrayList<>();
        private final List<GrpcLoadClient.Result> grpcMlpC1 = new ArrayList<>();
        private WrkResult mlpC64;
        private MeanBatchSize mlpC64Batch;
        private final List<AdaptiveBatchingResult.GrpcC64Run> grpcMlpC64 = new ArrayList<>();

        Contender(String variant, String flags, RunningServer server, boolean batching) {
            this.variant = variant;
            this.flags = flags;
            this.server = server;
            this.batching = batching;
        }

        String label() {
            return "ServeDeck " + variant;
        }

        AdaptiveBatchingResult result() {
            return new AdaptiveBatchingResult(variant, flags, List.copyOf(halfPlusTwoC1), List.copyOf(mlpC1),
                    List.copyOf(grpcMlpC1), mlpC64, mlpC64Batch, List.copyOf(grpcMlpC64));
        }
    }
}
