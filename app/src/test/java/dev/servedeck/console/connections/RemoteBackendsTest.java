package dev.servedeck.console.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.tfserving.AdminApiProbe;
import dev.servedeck.console.backend.tfserving.TfServingBackend;
import dev.servedeck.console.backend.tfserving.TfServingHints;
import dev.servedeck.console.testing.TestModels;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which backend a remote connection gets: a server whose GetServerInfo answers UNIMPLEMENTED (ServeDeck with
 * {@code --admin_api=false}, standing in for a plain tensorflow_model_server) is managed in reduced mode; one with the
 * admin API is not; one that does not answer is taken for ServeDeck's.
 */
class RemoteBackendsTest {

    @TempDir
    Path temp;

    @Test
    void withoutTheAdminApiTheConsoleManagesTheServerInReducedMode() throws Exception {
        try (ModelServer server = start(false)) {
            Connection connection = connectionTo(server);

            assertThat(AdminApiProbe.ask(connection, Optional.empty(), Optional.empty(), Duration.ofSeconds(5)))
                    .isEqualTo(AdminApiProbe.Answer.TF_SERVING_ONLY);
            try (ConsoleBackend backend = RemoteBackends.open(connection, Optional.empty(), Optional.empty())) {
                assertThat(backend).isInstanceOf(TfServingBackend.class);
                assertThat(backend.capabilities().notice()).get().asString()
                        .startsWith("Plain TensorFlow Serving: reduced mode");
            }
        }
    }

    @Test
    void withTheAdminApiItIsNotReducedMode() throws Exception {
        try (ModelServer server = start(true)) {
            Connection connection = connectionTo(server);

            assertThat(AdminApiProbe.ask(connection, Optional.empty(), Optional.empty(), Duration.ofSeconds(5)))
                    .isEqualTo(AdminApiProbe.Answer.ADMIN_API);
            try (ConsoleBackend backend = RemoteBackends.open(connection, Optional.empty(), Optional.empty())) {
                assertThat(backend).isNotInstanceOf(TfServingBackend.class);
            }
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsNotTakenForTfServing() throws Exception {
        int nobody;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            nobody = socket.getLocalPort() + 1;
        }
        Connection connection = new Connection("gone", "gone", URI.create("http://127.0.0.1:" + nobody),
                Optional.empty(), Optional.empty());

        assertThat(AdminApiProbe.ask(connection, Optional.empty(), Optional.empty(), Duration.ofSeconds(2)))
                .isEqualTo(AdminApiProbe.Answer.UNREACHABLE);
        try (ConsoleBackend backend = RemoteBackends.open(connection, Optional.empty(), Optional.empty())) {
            assertThat(backend).isNotInstanceOf(TfServingBackend.class);
        }
    }

    /** A server with gRPC on a free port. */
    private ModelServer start(boolean adminApi) throws Exception {
        Path model = TestModels.halfPlusTwo(temp.resolve("half_plus_two"), 1);
        return ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults(),
                        Optional.of(new RestOptions("127.0.0.1", 0, 2, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(2).withAdminApi(adminApi)),
                        Optional.empty(), Duration.ZERO),
                ModelServerConfigFile.parse("model_config_list { config { name: \"half_plus_two\" base_path: \""
                        + model + "\" } }", "test"));
    }

    private static Connection connectionTo(ModelServer server) {
        return new Connection("edge", "edge", URI.create("http://127.0.0.1:" + server.restPort().orElseThrow()),
                Optional.empty(), Optional.empty(), OptionalInt.of(server.grpcPort().orElseThrow()),
                new TfServingHints(List.of("half_plus_two"), Optional.empty()));
    }
}
