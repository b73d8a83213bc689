package dev.servedeck.core.warmup;

import static dev.servedeck.core.testing.WarmupFixtures.COUNTER;
import static dev.servedeck.core.testing.WarmupFixtures.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.WarmupFixtures;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionLog;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sent over REST and gRPC, recorded, written as a warmup file into a new version, and replayed
 * when that version loads: the new version's counter starts at what the recorded calls add up to.
 */
class RecordedRequestsWarmupTest {

    @TempDir
    Path dir;

    @Test
    void recentRequestsWrittenAsAWarmupFileWarmTheNextVersion() throws Exception {
        Path base = dir.resolve("counter");
        WarmupFixtures.copyVersion(COUNTER, VERSION, base);
        String config = "model_config_list { config { name: \"counter\" base_path: \"%s\" } }".formatted(base);
        TensorflowOptions twice = TensorflowOptions.defaults().withWarmup(new ModelWarmupOptions(true, 2));
        ModelServerOptions options = new ModelServerOptions(
                ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ofMillis(200)).withTensorflow(twice),
                Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                Optional.of(GrpcOptions.defaults().withPort(0)), Optional.empty(), Duration.ZERO,
                MonitoringOptions.defaults());
        try (ModelServer server = ModelServer.start(options, ModelServerConfigFile.parse(config, "test"))) {
            server.recentRequests().setRecording(true);
            HttpJsonClient rest = new HttpJsonClient(server.restPort().orElseThrow());
            assertThat(rest.post("/v1/models/counter:predict",
                    "{\"signature_name\": \"incr_counter_by\", \"inputs\": {\"delta\": 2.0}}").status()).isEqualTo(200);
            assertThat(rest.post("/v1/models/counter:predict",
                    "{\"signature_name\": \"no_such_signature\", \"inputs\": {}}").status()).isNotEqualTo(200);
            incrementOverGrpc(server.grpcPort().orElseThrow());

            List<PredictionLog> logs = server.recentRequests().predictionLogs("counter");
            assertThat(logs).hasSize(2);
            Path staged = WarmupFixtures.copyVersion(COUNTER, VERSION, dir.resolve("staging"));
            WarmupFile.write(WarmupFile.of(staged), logs);
            Files.move(staged, base.resolve("00000124"));

            ServableId next = new ServableId("counter", 124);
            assertThat(server.core().states().awaitState(next, s -> s.state() == ManagerState.AVAILABLE,
                    Duration.ofSeconds(60))).isTrue();
            // Two records, two iterations each: (2 + 1) x 2 on version 124's own fresh session.
            var total = rest.post("/v1/models/counter/versions/124:predict",
                    "{\"signature_name\": \"incr_counter_by\", \"inputs\": {\"delta\": 0.0}}");
            assertThat(total.body().at("/outputs").asDouble()).isEqualTo(6.0);
        }
    }

    private static void incrementOverGrpc(int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).predict(
                    PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("counter")
                            .setSignatureName("incr_counter")).build());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
