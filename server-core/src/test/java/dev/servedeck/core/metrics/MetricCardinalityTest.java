package dev.servedeck.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int64Value;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.PrometheusTextParser.Exposition;
import dev.servedeck.core.metrics.PrometheusTextParser.Sample;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Requests for models, versions and signatures that do not exist, by the ten thousand over REST and gRPC: the
 * metrics' series and the live statistics' keys must not grow (FailedCallLabels). Once every kind of failure has
 * been seen, a scrape lists the same series however many random names follow.
 */
class MetricCardinalityTest {

    private static final String METRICS = "/monitoring/prometheus/metrics";
    private static final int REQUESTS = 10_000;
    private static final int THREADS = 8;

    private static ModelServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        String config = """
                model_config_list { config { name: "default" base_path: "%s/saved_model_half_plus_two_cpu" } }
                """.formatted(TfServingTestData.root());
        server = ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                        Optional.of(RestOptions.defaults().withNumThreads(4)),
                        Optional.of(GrpcOptions.defaults().withMaxThreads(4)), Optional.empty(), Duration.ZERO,
                        MonitoringOptions.defaults().withPrometheusPath(METRICS)),
                ModelServerConfigFile.parse(config, "test"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    /** What a client may ask for: a model, perhaps a version, perhaps a signature; any of them may not exist. */
    private record Ask(String model, long version, String signature) {

        static Ask random(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> new Ask("model-" + random.nextLong(), -1, "");
                case 1 -> new Ask("model-" + random.nextLong(), 1 + random.nextInt(1_000_000), "sig-" + random.nextInt());
                case 2 -> new Ask("default", 1000 + random.nextInt(1_000_000), "");
                default -> new Ask("default", -1, "sig-" + random.nextLong());
            };
        }

        String restPath() {
            return "/v1/models/" + model + (version >= 0 ? "/versions/" + version : "") + ":predict";
        }

        String restBody() {
            return signature.isEmpty() ? "{\"instances\": [1.0]}"
                    : "{\"signature_name\": \"" + signature + "\", \"instances\": [1.0]}";
        }

        PredictRequest grpc() {
            ModelSpec.Builder spec = ModelSpec.newBuilder().setName(model).setSignatureName(signature);
            if (version >= 0) {
                spec.setVersion(Int64Value.of(version));
            }
            return PredictRequest.newBuilder().setModelSpec(spec).putInputs("x", TensorProto.newBuilder()
                    .setDtype(DataType.DT_FLOAT).setTensorShape(TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))).addFloatVal(1f).build()).build();
        }
    }

    @Test
    void tenThousandRequestsForNamesThatDoNotExistAddNoSeries() throws Exception {
        HttpJsonClient rest = new HttpJsonClient(server.restPort().orElseThrow());
        // Every kind of failure once, over both front ends: each shared series exists from here on.
        Random seeds = new Random(16);
        for (int kind = 0; kind < 4; kind++) {
            for (int i = 0; i < 4; i++) {
                Ask ask = Ask.random(seeds);
                rest.post(ask.restPath(), ask.restBody());
                callGrpc(ask);
            }
        }
        assertThat(rest.post("/v1/models/default:predict", "{\"instances\": [1.0]}").status()).isEqualTo(200);
        server.statistics().roll();
        Set<String> before = series(scrape());
        StatisticsSnapshot statisticsBefore = server.statistics().snapshot();

        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1000 + t;
                boolean overRest = t % 2 == 0;
                done.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    HttpJsonClient client = new HttpJsonClient(server.restPort().orElseThrow());
                    for (int i = 0; i < REQUESTS / THREADS; i++) {
                        Ask ask = Ask.random(random);
                        if (overRest) {
                            assertThat(client.post(ask.restPath(), ask.restBody()).status()).isIn(400, 404);
                        } else {
                            callGrpc(ask);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        server.statistics().roll();
        Exposition after = scrape();

        assertThat(series(after)).isEqualTo(before);
        StatisticsSnapshot statisticsAfter = server.statistics().snapshot();
        assertThat(statisticsAfter.models().keySet()).isEqualTo(statisticsBefore.models().keySet())
                .contains(FailedCallLabels.UNKNOWN);
        assertThat(statisticsAfter.versions().keySet()).isEqualTo(statisticsBefore.versions().keySet());
        double unknown = after.find(":tensorflow:serving:request_count", Map.of("model_name", FailedCallLabels.UNKNOWN))
                .stream().mapToDouble(Sample::value).sum();
        assertThat(unknown).isGreaterThanOrEqualTo(REQUESTS / 2.0);
    }

    private static void callGrpc(Ask ask) {
        try {
            PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).predict(ask.grpc());
            throw new AssertionError("answered: " + ask);
        } catch (StatusRuntimeException expected) {
            assertThat(expected.getStatus().getCode().name()).isIn("NOT_FOUND", "FAILED_PRECONDITION");
        }
    }

    /** Every series of ServeDeck's and TF Serving's metrics (the JVM's own come and go with its threads and pools). */
    private static Set<String> series(Exposition exposition) {
        Set<String> series = new TreeSet<>();
        for (Sample sample : exposition.samples()) {
            if (sample.name().startsWith(":tensorflow:") || sample.name().startsWith("servedeck_")) {
                series.add(sample.name() + new TreeMap<>(sample.labels()));
            }
        }
        return series;
    }

    private static Exposition scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.restPort().orElseThrow() + METRICS)).build(),
                HttpResponse.BodyHandlers.ofString());
        return PrometheusTextParser.parse(response.body(), false);
    }
}
