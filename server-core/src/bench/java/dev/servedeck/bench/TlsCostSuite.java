package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What TLS costs (issue 16): the MLP with batching at c64, REST (wrk over HTTPS) and gRPC (h2load over TLS with
 * ALPN h2), against two ServeDeck processes that differ only in {@code --ssl_config_file}. Both stay up and are
 * measured alternately, off then on, {@value #ROUNDS} rounds, as the metrics-cost A/B is, so that a neighbour's
 * load on the shared machine drifts into both means alike; the idle one waits. wrk and h2load keep their
 * connections open, so this is the cost of encrypting the traffic, not of handshakes.
 */
final class TlsCostSuite {

    static final int ROUNDS = 2;
    private static final Workload WORKLOAD = Workload.mlp();
    private static final Pattern IMPLEMENTATION = Pattern.compile("TLS implementation: ([^;]+);");

    private final WrkRunner wrk;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;
    private final GrpcWarmUp grpcWarmUp;
    private final H2loadRunner h2load;

    TlsCostSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings)
            throws IOException {
        this.wrk = wrk;
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
        this.h2load = new H2loadRunner(settings.outputDir().resolve("tls-cost/h2load"));
        this.grpcWarmUp = new GrpcWarmUp(h2load, steady, warnings);
    }

    TlsCostResult run(Path serverConfig) throws IOException, InterruptedException {
        Path dir = settings.outputDir().resolve("tls-cost");
        List<String> common = new ArrayList<>(ServeDeckFlags.prometheus(dir));
        common.addAll(ServeDeckFlags.batching(dir, settings.batchTimeoutMicros()));
        ServeDeckFlags.Tls tls = ServeDeckFlags.tls(dir);
        List<String> onFlags = new ArrayList<>(common);
        onFlags.addAll(tls.flags());
        PredictRequest request = GrpcPredictRequests.mlp();
        List<WrkResult> restOff = new ArrayList<>();
        List<WrkResult> restOn = new ArrayList<>();
        List<GrpcLoadClient.Result> grpcOff = new ArrayList<>();
        List<GrpcLoadClient.Result> grpcOn = new ArrayList<>();
        try (RunningServer off = RunningServer.startServeDeck(settings, serverConfig, "servedeck-tls-off", common);
                RunningServer on = RunningServer.startServeDeck(settings, serverConfig, "servedeck-tls-on", onFlags,
                        Optional.of(tls.client()))) {
            int answerBytes = answerBytes(off, request);
            restWarmUp.run(off, "ServeDeck TLS off", List.of(WORKLOAD));
            restWarmUp.run(on, "ServeDeck TLS on", List.of(WORKLOAD));
            grpcWarmUp.run(off, "ServeDeck TLS off", request, answerBytes);
            grpcWarmUp.run(on, "ServeDeck TLS on", request, answerBytes);
            PrometheusScrape offBefore = PrometheusScrape.of(off);
            PrometheusScrape onBefore = PrometheusScrape.of(on);
            for (int round = 1; round <= ROUNDS; round++) {
                restOff.add(measureRest(off, "TLS off", round));
                restOn.add(measureRest(on, "TLS on", round));
                grpcOff.add(measureGrpc(off, "TLS off", round, request, answerBytes));
                grpcOn.add(measureGrpc(on, "TLS on", round, request, answerBytes));
            }
            return new TlsCostResult(restOff, restOn, grpcOff, grpcOn, implementation(on), tls.certificate(),
                    MeanBatchSize.between(offBefore, PrometheusScrape.of(off)),
                    MeanBatchSize.between(onBefore, PrometheusScrape.of(on)));
        }
    }

    private WrkResult measureRest(RunningServer server, String variant, int round)
            throws IOException, InterruptedException {
        String label = "ServeDeck " + variant + " round " + round;
        check(label + " warm-up", wrk.run(server.restUrl(), WORKLOAD, LoadLevel.C64, settings.warmUp()));
        WrkResult measured = wrk.run(server.restUrl(), WORKLOAD, LoadLevel.C64, settings.measurement());
        check(label, measured);
        System.out.printf("%-28s mlp c64 REST %8s rows/s  p50 %10s  p99 %10s%n", label,
                Format.rate(measured.requestsPerSecond()), Format.micros(measured.p50Micros()),
                Format.micros(measured.p99Micros()));
        return measured;
    }

    private GrpcLoadClient.Result measureGrpc(RunningServer server, String variant, int round, PredictRequest request,
            int answerBytes) throws IOException, InterruptedException {
        String label = "ServeDeck " + variant + " round " + round;
        h2load.predict(server.grpcUrl(), request, answerBytes, LoadLevel.C64, settings.warmUp());
        GrpcLoadClient.Result measured = h2load.predict(server.grpcUrl(), request, answerBytes, LoadLevel.C64,
                settings.measurement());
        if (measured.failures() > 0) {
            warnings.warn(label + " gRPC mlp c64: " + measured.failures() + " calls answered without a message");
        }
        System.out.printf("%-28s mlp c64 gRPC %8s rows/s  p50 %10s  p99 %10s%n", label,
                Format.rate(measured.callsPerSecond()), Format.micros(measured.p50().toNanos() / 1_000.0),
                Format.micros(measured.p99().toNanos() / 1_000.0));
        return measured;
    }

    /** The size of a correct answer, which h2load's calls are checked against (the same with and without TLS). */
    private static int answerBytes(RunningServer plainText, PredictRequest request) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", plainText.grpcPort()).usePlaintext()
                .build();
        try {
            return PredictionServiceGrpc.newBlockingStub(channel).predict(request).getSerializedSize();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String implementation(RunningServer server) throws IOException {
        Matcher matcher = IMPLEMENTATION.matcher(Files.readString(server.log()));
        return matcher.find() ? matcher.group(1) : "(not logged)";
    }

    private void check(String run, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(run + " mlp c64: " + result.non2xx() + " non-2xx responses and " + result.socketErrors()
                    + " socket errors in " + result.requests() + " requests");
        }
    }
}
