package dev.servedeck.console.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test's TLS step against an HTTPS server that wants client certificates (as a server with {@code client_verify:
 * true}): the connection's CA and client certificate with its key from the secret store get through; without
 * them the check names TLS as what failed.
 */
class ConnectionCheckTlsTest {

    @TempDir
    Path dir;

    private final Issued ca = TestPki.ca("connections-test-ca");
    private final Issued serverIdentity = TestPki.server(ca, 2);
    private final Issued client = TestPki.client(ca, "console");
    private HttpsServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext context = SSLContext.getInstance("TLS");
        KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        keys.setKeyEntry("server", serverIdentity.key(), new char[0], new Certificate[] {serverIdentity.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                params.setNeedClientAuth(true);
            }
        });
        server.createContext("/v1/health", exchange -> {
            byte[] body = "{\"status\":\"SERVING\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI address() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void theConnectionsCaAndClientCertificateGetThroughMutualTls() throws Exception {
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path certFile = Files.writeString(dir.resolve("client.pem"), client.certificatePem());
        Connection edge = new Connection("id", "edge", address(), Optional.of(caFile), Optional.of(certFile));

        String answer = ConnectionCheck.run(edge, Optional.of("token"), Optional.of(client.keyPem()));

        assertThat(answer).isEqualTo("Reachable, TLS verified; /v1/health: ready {\"status\":\"SERVING\"}");
    }

    @Test
    void withoutTheCaTheCheckSaysTlsFailed() {
        Connection edge = new Connection("id", "edge", address(), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> ConnectionCheck.run(edge, Optional.empty(), Optional.empty()))
                .hasMessageStartingWith("TCP answers, but TLS failed");
    }

    @Test
    void aClientCertificateWithoutItsKeyIsExplained() throws Exception {
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path certFile = Files.writeString(dir.resolve("client.pem"), client.certificatePem());
        Connection edge = new Connection("id", "edge", address(), Optional.of(caFile), Optional.of(certFile));

        assertThatThrownBy(() -> ConnectionCheck.run(edge, Optional.empty(), Optional.empty()))
                .hasMessageContaining("private key is missing");
        assertThatThrownBy(() -> ClientTls.checkPrivateKey(client.keyPem(TestPki.KeyFormat.TRADITIONAL)))
                .hasMessageContaining("PKCS#8");
    }
}
