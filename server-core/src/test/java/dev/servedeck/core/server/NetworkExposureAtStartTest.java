package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.security.NetworkExposureWarning;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.LogCapture;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server says and does about who may call it, at start: the warning when an API is reachable from
 * the network without tokens (caught by a log appender), and a token file that stops the start when broken.
 * No model is served: none is needed.
 */
class NetworkExposureAtStartTest {

    @TempDir
    Path dir;

    private static ModelServerOptions options(String restHost, String grpcHost, AuthOptions auth) {
        return new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                Optional.of(RestOptions.defaults().withHost(restHost).withNumThreads(1)),
                Optional.of(GrpcOptions.defaults().withHost(grpcHost).withMaxThreads(1)), Optional.empty(),
                Duration.ZERO, MonitoringOptions.defaults(), Optional.empty(), auth);
    }

    @Test
    void allInterfacesWithoutTokensWarnLoudlyNamingTheApi() {
        try (LogCapture log = LogCapture.of(NetworkExposureWarning.class);
                ModelServer server = ModelServer.start(options("0.0.0.0", "127.0.0.1", AuthOptions.none()),
                        ModelServerConfig.getDefaultInstance())) {
            assertThat(log.events()).singleElement().satisfies(event -> {
                assertThat(event.getLevel().toString()).isEqualTo("WARN");
                assertThat(event.getFormattedMessage())
                        .startsWith("SECURITY WARNING: the REST API on all interfaces (port " + server.restPort().orElseThrow()
                                + ") is reachable from the network without authentication")
                        .contains("HandleReloadConfigRequest").contains("Repeated every 1 h.");
            });
        }
    }

    @Test
    void theWarningRepeatsWhileTheServerRunsAndStopsWithIt() throws Exception {
        AuthOptions everyFewMillis = AuthOptions.none().withExposureWarningInterval(Duration.ofMillis(30));
        try (LogCapture log = LogCapture.of(NetworkExposureWarning.class)) {
            try (ModelServer server = ModelServer.start(options("127.0.0.1", "0.0.0.0", everyFewMillis),
                    ModelServerConfig.getDefaultInstance())) {
                dev.servedeck.core.testing.Await.until(() -> log.events().size() >= 3, Duration.ofSeconds(10));
                assertThat(log.messages()).allSatisfy(message -> assertThat(message).contains("the gRPC API on all interfaces (port "
                        + server.grpcPort().orElseThrow() + ")").doesNotContain("REST API"));
            }
            int afterClose = log.events().size();
            Thread.sleep(150);
            assertThat(log.events()).hasSize(afterClose);
        }
    }

    @Test
    void loopbackOrTokensAreQuiet() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "some-token-0123456789 predict\n");
        try (LogCapture log = LogCapture.of(NetworkExposureWarning.class)) {
            ModelServer.start(options("127.0.0.1", "127.0.0.1", AuthOptions.none()),
                    ModelServerConfig.getDefaultInstance()).close();
            ModelServer.start(options("0.0.0.0", "0.0.0.0", AuthOptions.none().withTokensFile(tokens)),
                    ModelServerConfig.getDefaultInstance()).close();
            assertThat(log.events()).isEmpty();
        }
    }

    @Test
    void aBrokenTokenFileStopsTheStartWithAClearError() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# nothing but\n\nsome-token-0123456789 predict admin\n");

        assertThatThrownBy(() -> ModelServer.start(options("127.0.0.1", "127.0.0.1",
                AuthOptions.none().withTokensFile(tokens)), ModelServerConfig.getDefaultInstance()))
                .isInstanceOf(ServingException.class)
                .hasMessage("Invalid token file " + tokens + ": line 3 should be TOKEN SCOPE[,SCOPE] (found 3 fields)");
        assertThatThrownBy(() -> ModelServer.start(options("127.0.0.1", "127.0.0.1",
                AuthOptions.none().withTokensFile(dir.resolve("absent"))), ModelServerConfig.getDefaultInstance()))
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("Cannot read the token file " + dir.resolve("absent"));
    }
}
