package dev.servedeck.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.security.ApiOperation;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.proto.config.ModelServerConfig;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every method the gRPC server registers is named in the table of operations, so none falls to UNKNOWN. */
class GrpcOperationsTest {

    @Test
    void everyRegisteredMethodHasItsOperation() {
        try (ModelServer server = ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults()
                .withFileSystemPollWait(Duration.ZERO), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ZERO), ModelServerConfig.getDefaultInstance())) {
            GrpcServer grpc = GrpcServer.startInProcess(server.core(), "operations-test", GrpcOptions.defaults());
            try {
                List<ServerServiceDefinition> services = grpc.services();
                assertThat(services).hasSizeGreaterThanOrEqualTo(5);
                services.stream().flatMap(service -> service.getMethods().stream())
                        .forEach(method -> assertThat(GrpcOperations.of(method.getMethodDescriptor()))
                                .as(method.getMethodDescriptor().getFullMethodName())
                                .isNotEqualTo(ApiOperation.UNKNOWN));
            } finally {
                grpc.close();
            }
        }
    }

    @Test
    void healthAndReflectionAreOpenAndTheTfServingMethodsAreNot() {
        ServerServiceDefinition reflection = ProtoReflectionServiceV1.newInstance().bindService();
        reflection.getMethods().forEach(method ->
                assertThat(GrpcOperations.of(method.getMethodDescriptor()).open()).isTrue());
        assertThat(GrpcOperations.of(io.grpc.health.v1.HealthGrpc.getCheckMethod())).isEqualTo(ApiOperation.HEALTH);
        assertThat(GrpcOperations.of(io.grpc.health.v1.HealthGrpc.getWatchMethod())).isEqualTo(ApiOperation.HEALTH);
        assertThat(GrpcOperations.of(dev.servedeck.proto.apis.ModelServiceGrpc.getHandleReloadConfigRequestMethod()))
                .isEqualTo(ApiOperation.HANDLE_RELOAD_CONFIG);
    }

    @Test
    void theModelRepositoryExtensionIsItsOwnAdminOperations() {
        assertThat(GrpcOperations.of(GRPCInferenceServiceGrpc.getRepositoryIndexMethod()))
                .isEqualTo(ApiOperation.REPOSITORY_INDEX);
        assertThat(GrpcOperations.of(GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod()))
                .isEqualTo(ApiOperation.REPOSITORY_MODEL_LOAD);
        assertThat(GrpcOperations.of(GRPCInferenceServiceGrpc.getRepositoryModelUnloadMethod()))
                .isEqualTo(ApiOperation.REPOSITORY_MODEL_UNLOAD);
    }
}
