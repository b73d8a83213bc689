package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.proto.admin.v1.GetServerInfoRequest;
import dev.servedeck.proto.apis.GetModelStatusRequest;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.ModelVersionStatus;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --admin_api=false}: the gRPC port offers exactly tensorflow_model_server's services, and the admin API
 * answers UNIMPLEMENTED like any unknown service, even to a caller without a token where tokens are required.
 */
class AdminApiFlagTest {

    private static final String TOKEN = "f".repeat(64);

    @TempDir
    Path temp;

    @Test
    void theAdminApiIsOnUnlessTurnedOff() {
        assertThat(parse("--port=8500").grpc().orElseThrow().adminApi()).isTrue();
        assertThat(parse("--admin_api=false").grpc().orElseThrow().adminApi()).isFalse();
        assertThat(parse("--admin_api=true").grpc().orElseThrow().adminApi()).isTrue();
        assertThat(parse("--admin_api").grpc().orElseThrow().adminApi()).isTrue();
    }

    @Test
    void withoutItAdminCallsAreUnimplementedAndTfServingsServicesServe() throws Exception {
        Path tokens = Files.writeString(temp.resolve("tokens"), TOKEN + " admin,predict\n");
        try (ModelServer server = start(false, tokens)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow())
                    .usePlaintext().build();
            try {
                assertThatThrownBy(() -> AdminServiceGrpc.newBlockingStub(channel)
                        .getServerInfo(GetServerInfoRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .as("no token, yet UNIMPLEMENTED: the service is not there")
                                .isEqualTo(Status.Code.UNIMPLEMENTED));
                Metadata token = new Metadata();
                token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                ModelVersionStatus version = ModelServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                        .getModelStatus(GetModelStatusRequest.newBuilder()
                                .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two")).build())
                        .getModelVersionStatus(0);
                assertThat(version.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withItTheAdminApiAnswers() throws Exception {
        try (ModelServer server = start(true, null)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow())
                    .usePlaintext().build();
            try {
                assertThat(AdminServiceGrpc.newBlockingStub(channel)
                        .getServerInfo(GetServerInfoRequest.getDefaultInstance()).getInstanceId()).isNotEmpty();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static ModelServer start(boolean adminApi, Path tokens) {
        Path model = TfServingTestData.model("saved_model_half_plus_two_cpu");
        return ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults(), Optional.empty(),
                        Optional.of(GrpcOptions.defaults().withMaxThreads(2).withAdminApi(adminApi)), Optional.empty(),
                        Duration.ZERO, MonitoringOptions.defaults(), Optional.empty(),
                        tokens == null ? AuthOptions.none() : AuthOptions.none().withTokensFile(tokens)),
                ModelServerConfigFile.parse("model_config_list { config { name: \"half_plus_two\" base_path: \""
                        + model + "\" } }", "test"));
    }

    private static ModelServerOptions parse(String... args) {
        ServerCommand command = new ServerCommand();
        ServerCommand.commandLine(command).parseArgs(args);
        return command.serverOptions();
    }
}
