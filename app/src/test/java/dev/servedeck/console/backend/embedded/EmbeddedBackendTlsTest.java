package dev.servedeck.console.backend.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.TlsSettings;
import dev.servedeck.console.testing.TestModels;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's embedded server with {@code --ssl_config_file}: its REST calls (Predict page, load generator) go
 * over HTTPS and trust the certificate it serves, which names {@code localhost} while the console connects to
 * 127.0.0.1 through a wildcard bind, and comes from a CA the console is never told about.
 */
class EmbeddedBackendTlsTest {

    @TempDir
    Path dir;

    private EmbeddedBackend backend;

    @AfterEach
    void stopServer() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void predictionsGoOverHttpsTrustingTheServedCertificate() throws Exception {
        Issued ca = TestPki.ca("Console Test CA");
        Path config = Files.writeString(dir.resolve("ssl.config"), TestPki.sslConfig(TestPki.server(ca, 5)));

        start("0.0.0.0", new TlsSettings(config, Optional.empty()));

        assertThat(backend.restBaseUrl()).hasValueSatisfying(url -> assertThat(url).startsWith("https://127.0.0.1:"));
        RestReply reply = predict();
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("2.5");
    }

    @Test
    void withClientVerifyTheConsolePresentsItsOwnCertificate() throws Exception {
        Issued ca = TestPki.ca("Console Test CA");
        Issued clientCa = TestPki.ca("Console Client CA");
        Issued console = TestPki.client(clientCa, "servedeck-console");
        Path config = Files.writeString(dir.resolve("ssl.config"),
                TestPki.mutualSslConfig(TestPki.server(ca, 6), clientCa));
        Path clientPem = Files.writeString(dir.resolve("console.pem"), console.keyPem() + console.certificatePem());

        start("127.0.0.1", new TlsSettings(config, Optional.of(clientPem)));

        assertThat(predict().statusCode()).isEqualTo(200);
    }

    @Test
    void withClientVerifyAndNoClientPemTheConsoleSaysWhyItsRequestsFail() throws Exception {
        Issued ca = TestPki.ca("Console Test CA");
        Path config = Files.writeString(dir.resolve("ssl.config"),
                TestPki.mutualSslConfig(TestPki.server(ca, 7), TestPki.ca("Console Client CA")));

        start("127.0.0.1", new TlsSettings(config, Optional.empty()));

        assertThat(backend.recentEvents()).anyMatch(event -> event.severity() == ServerEvent.Severity.WARNING
                && event.message().contains("--ssl_client_pem"));
        assertThatThrownBy(this::predict).isInstanceOf(ExecutionException.class);
    }

    private void start(String host, TlsSettings tls) throws Exception {
        Path base = TestModels.halfPlusTwo(dir.resolve("hp2"), 1);
        backend = new EmbeddedBackend();
        backend.start(new ServerSettings(host, 0, ServerSettings.NO_GRPC, false, new ModelSource.BasePath("hp2", base),
                dir.resolve("logs"), Optional.of(tls))).get(2, TimeUnit.MINUTES);
    }

    private RestReply predict() throws Exception {
        return backend.sendRest(RestCall.post("/v1/models/hp2:predict", "{\"instances\": [1.0]}"))
                .get(30, TimeUnit.SECONDS);
    }
}
