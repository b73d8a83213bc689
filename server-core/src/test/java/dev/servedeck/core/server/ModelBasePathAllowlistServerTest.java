package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelConfigFileWatcher;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.security.ModelBasePathAllowlist;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.LogCapture;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.ReloadConfigRequest;
import dev.servedeck.proto.config.ModelServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * --model_base_path_allowlist on the whole server: the first config, gRPC's ReloadConfig and the config file
 * poller all pass the core's one check; a refused config changes nothing.
 */
class ModelBasePathAllowlistServerTest {

    @TempDir
    Path outside;

    @TempDir
    Path allowed;

    private static String config(Path basePath) {
        return "model_config_list { config { name: \"default\" base_path: \"" + basePath + "\" } }\n";
    }

    /** TF Serving's test models and a folder of our own (which may hold links). */
    private ServerCoreOptions allowingTestData() {
        return ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                .withModelBasePathAllowlist(ModelBasePathAllowlist.of(List.of(TfServingTestData.root(), allowed)));
    }

    @Test
    void aFirstConfigOutsideStopsTheStart() {
        ModelServerOptions options = new ModelServerOptions(allowingTestData(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ZERO);

        assertThatThrownBy(() -> ModelServer.start(options, ModelServerConfigFile.parse(config(outside), "test")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("Model default has base_path " + outside)
                .hasMessageContaining("--model_base_path_allowlist");
    }

    @Test
    void grpcReloadsOutsideAreRefusedAndChangeNothing() throws Exception {
        Path inside = TfServingTestData.model("saved_model_half_plus_two_cpu");
        Path escape = Files.createSymbolicLink(allowed.resolve("escape"), outside);
        ModelServerOptions options = new ModelServerOptions(allowingTestData(), Optional.empty(),
                Optional.of(GrpcOptions.defaults().withMaxThreads(2)), Optional.empty(), Duration.ZERO);
        try (ModelServer server = ModelServer.start(options, ModelServerConfigFile.parse(config(inside), "test"))) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow())
                    .usePlaintext().build();
            try {
                ModelServerConfig before = server.core().config();
                for (Path refused : List.of(outside, inside.resolve("../../../../..").resolve(outside.toString().substring(1)),
                        inside.resolve("../..").resolve(outside.getFileName()))) {
                    assertThatThrownBy(() -> reload(channel, refused)).as("%s", refused)
                            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                                assertThat(e.getStatus().getDescription()).contains("--model_base_path_allowlist");
                            });
                    assertThat(server.core().config()).isEqualTo(before);
                }
                assertThat(server.core().status(new dev.servedeck.core.ModelSpec("default", java.util.OptionalLong
                        .empty(), Optional.empty(), ""))).hasSize(1);

                // A link inside an allowed folder that leads out is refused too.
                assertThatThrownBy(() -> reload(channel, escape)).isInstanceOf(StatusRuntimeException.class)
                        .hasMessageContaining("resolved to " + outside.toRealPath());

                assertThat(reload(channel, inside)).isTrue();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theConfigFilePollerLogsARefusedConfigAndKeepsTheRunningOne() throws Exception {
        Path inside = TfServingTestData.model("saved_model_half_plus_two_cpu");
        Path file = Files.writeString(outside.resolve("models.config"), config(inside));
        ModelServerOptions options = new ModelServerOptions(allowingTestData(), Optional.empty(), Optional.empty(),
                Optional.of(file), Duration.ofMillis(50));
        try (ModelServer server = ModelServer.start(options, ModelServerConfigFile.read(file));
                LogCapture log = LogCapture.of(ModelConfigFileWatcher.class)) {
            ModelServerConfig before = server.core().config();
            Files.writeString(file, config(outside.resolve("stolen")));

            dev.servedeck.core.testing.Await.until(() -> log.messages().stream()
                    .anyMatch(message -> message.contains("not applied")), Duration.ofSeconds(10));
            assertThat(log.messages()).anySatisfy(message -> assertThat(message)
                    .contains("Model default has base_path " + outside.resolve("stolen"))
                    .contains("--model_base_path_allowlist"));
            assertThat(server.core().config()).isEqualTo(before);
        }
    }

    private static boolean reload(ManagedChannel channel, Path basePath) {
        return ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .handleReloadConfigRequest(ReloadConfigRequest.newBuilder()
                        .setConfig(ModelServerConfigFile.parse(config(basePath), "reload")).build())
                .getStatus().getErrorCodeValue() == 0;
    }
}
