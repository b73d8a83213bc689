package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every request kind at every concurrency against ServeDeck's gRPC port, with two load generators:
 * {@code h2load} (nghttp2's C client in its own process, like wrk for REST, so REST and gRPC are driven by
 * clients of the same weight: the runs judged against REST) and grpc-java's async client in this JVM
 * ({@link LoadLevel#connections()} calls in flight on one channel, as a Java TF Serving client sends them,
 * at the price of its CPU competing with the server's). The whole path is warmed up first, and each
 * measured run follows its own warm-up run.
 */
final class GrpcLoadSuite {

    private static final List<PredictRequest> REQUESTS = List.of(GrpcPredictRequests.halfPlusTwo(),
            GrpcPredictRequests.mlp());
    /**
     * Far beyond what two cores can answer in a run, so time ends runs, not this; it only bounds the
     * client's latency array should a run be configured very long.
     */
    private static final long MAX_CALLS_PER_RUN = 20_000_000;
    /** Per model, before any measured run: see {@link #warmUpBothEnds}. */
    static final long WARM_UP_CALLS = 30_000;
    private static final Duration WARM_UP_CAP = Duration.ofSeconds(60);
    private static final Duration CHANNEL_SHUTDOWN = Duration.ofSeconds(10);

    private final BenchmarkSettings settings;
    private final GrpcWarmUp grpcWarmUp;
    private final Warnings warnings;
    private final H2loadRunner h2load;

    GrpcLoadSuite(BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings) throws IOException {
        this.settings = settings;
        this.warnings = warnings;
        this.h2load = new H2loadRunner(settings.outputDir().resolve("h2load"));
        this.grpcWarmUp = new GrpcWarmUp(h2load, steady, warnings);
    }

    List<GrpcLoadResult> run(RunningServer server) throws IOException, InterruptedException {
        // directExecutor: answers are handled on the channel's event-loop thread (a latency sample and a
        // semaphore release), which spares a thread hand-off per call on cores the server needs too.
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .directExecutor()
                .build();
        try {
            GrpcAnswerCheck.verify(server.name(), channel);
            GrpcLoadClient client = new GrpcLoadClient(channel);
            warmUpBothEnds(server.name(), client);
            List<GrpcLoadResult> results = new ArrayList<>();
            for (PredictRequest request : REQUESTS) {
                int answerBytes = PredictionServiceGrpc.newBlockingStub(channel).predict(request).getSerializedSize();
                grpcWarmUp.run(server, server.name(), request, answerBytes);
                for (LoadLevel level : LoadLevel.ALL) {
                    results.add(measureH2load(server, request, answerBytes, level));
                }
            }
            for (PredictRequest request : REQUESTS) {
                for (LoadLevel level : LoadLevel.ALL) {
                    results.add(measure(server.name(), client, request, level));
                }
            }
            return results;
        } finally {
            channel.shutdownNow().awaitTermination(CHANNEL_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Unlike wrk, the client is Java too, so both ends of the gRPC path start cold, and short warm-up runs
     * were not enough: in trial runs whichever model went first measured 2-4x slower than the same model
     * measured second. The JIT counts calls, not seconds, so every model first gets a number of unmeasured
     * calls at the highest concurrency (bounded in time on a machine too slow to reach it).
     */
    private void warmUpBothEnds(String server, GrpcLoadClient client) throws InterruptedException {
        for (PredictRequest request : REQUESTS) {
            GrpcLoadClient.Result warmUp = client.predict(request, LoadLevel.C64.connections(), WARM_UP_CALLS,
                    WARM_UP_CAP);
            reportFailures(server + " gRPC warm-up", request.getModelSpec().getName(), LoadLevel.C64, warmUp);
            System.out.printf("%s gRPC warm-up %s: %,d calls in %.1f s%n", server, request.getModelSpec().getName(),
                    warmUp.calls(), warmUp.elapsed().toMillis() / 1000.0);
        }
    }

    private GrpcLoadResult measureH2load(RunningServer server, PredictRequest request, int answerBytes,
            LoadLevel level) throws IOException, InterruptedException {
        String model = request.getModelSpec().getName();
        GrpcLoadClient.Result warmUp = h2load.predict(server.grpcPort(), request, answerBytes, level,
                settings.warmUp());
        reportFailures(server.name() + " gRPC h2load warm-up", model, level, warmUp);
        GrpcLoadClient.Result measured = h2load.predict(server.grpcPort(), request, answerBytes, level,
                settings.measurement());
        reportFailures(server.name() + " gRPC h2load", model, level, measured);
        return printed(new GrpcLoadResult(GrpcLoadResult.H2LOAD, model, level, measured));
    }

    private static GrpcLoadResult printed(GrpcLoadResult result) {
        GrpcLoadClient.Result measured = result.client();
        System.out.printf("%-9s %-13s %-4s %8s calls/s  p50 %10s  p99 %10s  failures %d (%s)%n", "gRPC",
                result.model(), result.level().label(), Format.rate(measured.callsPerSecond()),
                Format.micros(result.p50Micros()), Format.micros(result.p99Micros()), measured.failures(),
                result.generator());
        return result;
    }

    private GrpcLoadResult measure(String server, GrpcLoadClient client, PredictRequest request, LoadLevel level)
            throws InterruptedException {
        String model = request.getModelSpec().getName();
        int inFlight = level.connections();
        GrpcLoadClient.Result warmUp = client.predict(request, inFlight, MAX_CALLS_PER_RUN, settings.warmUp());
        reportFailures(server + " gRPC warm-up", model, level, warmUp);
        GrpcLoadClient.Result measured = client.predict(request, inFlight, MAX_CALLS_PER_RUN,
                settings.measurement());
        reportFailures(server + " gRPC", model, level, measured);
        return printed(new GrpcLoadResult(GrpcLoadResult.GRPC_JAVA, model, level, measured));
    }

    private void reportFailures(String run, String model, LoadLevel level, GrpcLoadClient.Result result) {
        if (result.failures() > 0) {
            warnings.warn(run + " " + model + " " + level.label() + ": " + result.failures() + " failed calls in "
                    + result.calls() + " " + result.failuresByCode());
        }
    }
}
