package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What bearer tokens cost (issue 16): half_plus_two at c64, the cheapest request and so the one where a per-request
 * check weighs most, over REST (wrk) and gRPC (h2load), against two ServeDeck processes, one without and one with
 * {@code --auth_tokens_file} ({@value #TOKENS} tokens, so every request compares {@value #TOKENS} digests). Both
 * stay up and are measured alternately, {@value #ROUNDS} times each per API in the order off, on, on, off, ...,
 * so that a neighbour's load on this shared machine drifts into both medians alike. The one not measured sits idle meanwhile.
 */
final class TokensCostSuite {

    static final int ROUNDS = 4;
    /** A realistic file: a few clients, a deploy job, a scraper. */
    static final int TOKENS = 8;
    private static final Workload WORKLOAD = Workload.halfPlusTwo();
    private static final PredictRequest GRPC_REQUEST = GrpcPredictRequests.halfPlusTwo();

    private final WrkRunner wrk;
    private final H2loadRunner h2load;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;
    private final GrpcWarmUp grpcWarmUp;

    TokensCostSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings)
            throws IOException {
        this.wrk = wrk;
        this.h2load = new H2loadRunner(settings.outputDir().resolve("h2load-tokens"));
        this.settings = settings;
        this.warnings = warnings;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
        this.grpcWarmUp = new GrpcWarmUp(h2load, steady, warnings);
    }

    TokensCostResult run(Path serverConfig) throws IOException, InterruptedException {
        Path file = settings.outputDir().resolve("tokens-cost/tokens.txt");
        List<String> tokens = newTokens();
        List<String> onFlags = ServeDeckFlags.authTokens(file, tokens);
        // The last line's token: nothing is gained by being found first, every digest is compared anyway.
        String token = tokens.get(tokens.size() - 1);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        double nanosPerCheck = AuthorizationFloor.nanosPerCheck(file, token);
        System.out.printf("Authorizer.authorize in process, %d tokens: %.0f ns per check%n", TOKENS, nanosPerCheck);

        List<TokensRun> restOff = new ArrayList<>();
        List<TokensRun> restOn = new ArrayList<>();
        List<TokensRun> grpcOff = new ArrayList<>();
        List<TokensRun> grpcOn = new ArrayList<>();
        try (RunningServer off = RunningServer.startServeDeck(settings, serverConfig, "servedeck-tokens-off",
                        List.of());
                RunningServer on = RunningServer.startServeDeck(settings, serverConfig, "servedeck-tokens-on",
                        onFlags, Optional.empty(), bearer)) {
            requireTokensEnforced(on);
            restWarmUp.run(off, "ServeDeck tokens off", List.of(WORKLOAD));
            restWarmUp.run(on, "ServeDeck tokens on", List.of(WORKLOAD));
            for (int round = 1; round <= ROUNDS; round++) {
                // ABBA: off first in odd rounds, on first in even ones, so that a drift in the machine's load
                // within a round falls on both alike.
                if (round % 2 == 1) {
                    restOff.add(measureRest(off, "tokens off", round));
                    restOn.add(measureRest(on, "tokens on", round));
                } else {
                    restOn.add(measureRest(on, "tokens on", round));
                    restOff.add(measureRest(off, "tokens off", round));
                }
            }
            int answerBytes = answerBytes(off);
            if (answerBytes(on) != answerBytes) {
                warnings.warn("ServeDeck tokens on answers gRPC with another size than tokens off");
            }
            grpcWarmUp.run(off, "ServeDeck tokens off", GRPC_REQUEST, answerBytes);
            grpcWarmUp.run(on, "ServeDeck tokens on", GRPC_REQUEST, answerBytes);
            for (int round = 1; round <= ROUNDS; round++) {
                if (round % 2 == 1) {
                    grpcOff.add(measureGrpc(off, "tokens off", round, answerBytes));
                    grpcOn.add(measureGrpc(on, "tokens on", round, answerBytes));
                } else {
                    grpcOn.add(measureGrpc(on, "tokens on", round, answerBytes));
                    grpcOff.add(measureGrpc(off, "tokens off", round, answerBytes));
                }
            }
        }
        return new TokensCostResult(restOff, restOn, grpcOff, grpcOn, TOKENS, nanosPerCheck);
    }

    /** {@code openssl rand -hex 32}, as docs/security-tokens.md tells users to make them. */
    private static List<String> newTokens() {
        SecureRandom random = new SecureRandom();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < TOKENS; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            tokens.add(HexFormat.of().formatHex(bytes));
        }
        return tokens;
    }

    private TokensRun measureRest(RunningServer server, String variant, int round)
            throws IOException, InterruptedException {
        String label = "ServeDeck " + variant + " round " + round;
        checkRest(label + " warm-up", wrk.run(server.restUrl(), server.headers(), WORKLOAD, LoadLevel.C64,
                settings.warmUp()));
        long cpuBefore = server.cpuNanos();
        WrkResult measured = wrk.run(server.restUrl(), server.headers(), WORKLOAD, LoadLevel.C64,
                settings.measurement());
        double cpuMicros = (server.cpuNanos() - cpuBefore) / 1_000.0 / Math.max(1, measured.requests());
        checkRest(label, measured);
        System.out.printf("%-30s REST half_plus_two c64 %8s req/s    p50 %10s  p99 %10s  CPU %5.1f us/request%n",
                label, Format.rate(measured.requestsPerSecond()), Format.micros(measured.p50Micros()),
                Format.micros(measured.p99Micros()), cpuMicros);
        return new TokensRun(measured.requestsPerSecond(), measured.p50Micros(), measured.p99Micros(), cpuMicros,
                measured.non2xx() + measured.socketErrors());
    }

    private TokensRun measureGrpc(RunningServer server, String variant, int round, int answerBytes)
            throws IOException, InterruptedException {
        String label = "ServeDeck " + variant + " round " + round;
        checkGrpc(label + " warm-up", h2load.predict(server.grpcUrl(), server.headers(), GRPC_REQUEST, answerBytes,
                LoadLevel.C64, settings.warmUp()));
        long cpuBefore = server.cpuNanos();
        var measured = h2load.predict(server.grpcUrl(), server.headers(), GRPC_REQUEST, answerBytes, LoadLevel.C64,
                settings.measurement());
        double cpuMicros = (server.cpuNanos() - cpuBefore) / 1_000.0 / Math.max(1, measured.calls());
        checkGrpc(label, measured);
        GrpcLoadResult result = new GrpcLoadResult(GrpcLoadResult.H2LOAD, "half_plus_two", LoadLevel.C64, measured);
        System.out.printf("%-30s gRPC half_plus_two c64 %8s calls/s  p50 %10s  p99 %10s  CPU %5.1f us/call%n",
                label, Format.rate(measured.callsPerSecond()), Format.micros(result.p50Micros()),
                Format.micros(result.p99Micros()), cpuMicros);
        return new TokensRun(measured.callsPerSecond(), result.p50Micros(), result.p99Micros(), cpuMicros,
                measured.failures());
    }

    /** The "on" server must really refuse a request without its token, or "on" measured nothing. */
    private void requireTokensEnforced(RunningServer on) throws IOException, InterruptedException {
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + on.port() + WORKLOAD.path()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(WORKLOAD.requestBody())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (anonymous.statusCode() != 401) {
            throw new IllegalStateException("ServeDeck tokens on answered a request without a token with HTTP "
                    + anonymous.statusCode() + ": the token file is not in force");
        }
    }

    /** The answer's size, which h2load's calls are checked against; asked over gRPC with the server's headers. */
    private static int answerBytes(RunningServer server) throws InterruptedException {
        Metadata metadata = new Metadata();
        server.headers().forEach((name, value) -> metadata.put(
                Metadata.Key.of(name.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER), value));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(metadata)).build();
        try {
            GrpcAnswerCheck.verify(server.name(), channel);
            return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(GRPC_REQUEST).getSerializedSize();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void checkRest(String run, WrkResult result) {
        if (!result.clean()) {
            warnings.warn(run + " REST half_plus_two c64: " + result.non2xx() + " non-2xx responses and "
                    + result.socketErrors() + " socket errors in " + result.requests() + " requests");
        }
    }

    private void checkGrpc(String run, GrpcLoadClient.Result result) {
        if (result.failures() > 0) {
            warnings.warn(run + " gRPC half_plus_two c64: " + result.failures() + " failed calls in "
                    + result.calls());
        }
    }
}
