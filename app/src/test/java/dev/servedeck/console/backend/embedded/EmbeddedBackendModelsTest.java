package dev.servedeck.console.backend.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ConsoleBackendModelsContract;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.testing.TestModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ConsoleBackendModelsContract} on a fresh embedded server for each test; and its loopback REST port. */
class EmbeddedBackendModelsTest extends ConsoleBackendModelsContract {

    @BeforeEach
    void startServer() throws Exception {
        TestModels.halfPlusTwo(hp2BasePath(), 1, 2, 3);
        EmbeddedBackend embedded = new EmbeddedBackend();
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, ServerSettings.NO_GRPC, false,
                new ModelSource.BasePath("hp2", hp2BasePath()), dir.resolve("logs"));
        backend = embedded;
        embedded.start(settings).get(2, TimeUnit.MINUTES);
    }

    @AfterEach
    void stopServer() {
        backend.close();
    }

    @Override
    protected Path hp2BasePath() {
        return dir.resolve("hp2");
    }

    /** DNS rebinding: a page whose name was pointed at 127.0.0.1 still sends its own name as the Host. */
    @Test
    void theLoopbackRestPortAnswersOnlyLoopbackHostNames() throws Exception {
        URI base = URI.create(backend.restBaseUrl().orElseThrow());

        assertThat(statusWithHost(base.getPort(), "evil.example:" + base.getPort())).isEqualTo(403);
        assertThat(statusWithHost(base.getPort(), "localhost:" + base.getPort())).isEqualTo(200);
        assertThat(statusWithHost(base.getPort(), "127.0.0.1:" + base.getPort())).isEqualTo(200);
        assertThat(predict("hp2", 2.0)).as("the console's own calls").isEqualTo(3.0);
    }

    private static int statusWithHost(int port, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
