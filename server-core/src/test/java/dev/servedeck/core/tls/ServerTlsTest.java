package dev.servedeck.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.Await;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks of the SSL config, and reloading it without the front ends (those are in TlsOverNetworkTest). */
class ServerTlsTest {

    private static Issued ca;
    private static Issued server;
    private static Issued clientCa;

    @TempDir
    Path temp;

    @BeforeAll
    static void issue() {
        ca = TestPki.ca("Server Test CA");
        server = TestPki.server(ca, 100);
        clientCa = TestPki.ca("Client Test CA");
    }

    @Test
    void startsFromTfServingsFormatAndServesItsCertificate() throws IOException {
        try (ServerTls tls = ServerTls.start(options(write("ssl.config", TestPki.sslConfig(server))))) {
            assertThat(tls.credentials().certificate()).isEqualTo(server.certificate());
            assertThat(tls.credentials().clientVerify()).isFalse();
            assertThat(tls.credentials().clientRoots()).as("custom_ca unused without client_verify").isEmpty();
            assertThat(tls.restContext().isServer()).isTrue();
            assertThat(tls.grpcContext().cipherSuites()).isNotEmpty();
        }
    }

    @Test
    void readsPemFilesNamedRelativeToTheConfigAsAServeDeckExtension() throws IOException {
        Files.createDirectories(temp.resolve("secret"));
        write("secret/tls.key", server.keyPem());
        write("secret/tls.crt", server.certificatePem());
        write("secret/ca.crt", clientCa.certificatePem());
        Path config = write("ssl.config", "server_key_file: \"secret/tls.key\"\nserver_cert_file: \"secret/tls.crt\"\n"
                + "custom_ca_file: \"secret/ca.crt\"\nclient_verify: true\n");

        try (ServerTls tls = ServerTls.start(options(config))) {
            assertThat(tls.credentials().certificate()).isEqualTo(server.certificate());
            assertThat(tls.credentials().clientRoots()).containsExactly(clientCa.certificate());
        }
    }

    @Test
    void aMissingOrMismatchedKeyOrCertificateIsAClearStartUpError() throws IOException {
        Issued other = TestPki.server(ca, 101);
        assertStartFails(TestPki.sslConfig("", server.certificatePem(), "", false), "has no server_key");
        assertStartFails(TestPki.sslConfig(server.keyPem(), "", "", false), "has no server_cert");
        assertStartFails(TestPki.sslConfig(other.keyPem(), server.certificatePem(), "", false),
                "server_key does not belong to server_cert");
        assertStartFails(TestPki.sslConfig("not a key", server.certificatePem(), "", false),
                "server_key holds no PEM private key");
        assertStartFails(TestPki.sslConfig(server.keyPem(), server.certificatePem(), "", true),
                "client_verify: true needs custom_ca");
        assertStartFails("server_key: \"a\" server_key_file: \"b\"", "give server_key or server_key_file, not both");
        assertStartFails("server_key_file: \"missing.key\" server_cert: \"x\"", "Cannot read server_key_file");
        assertStartFails("server_kye: \"typo\"", "Invalid SSL config file");
        assertThatThrownBy(() -> ServerTls.start(options(temp.resolve("absent.config"))))
                .isInstanceOf(ServingException.class).hasMessageContaining("Cannot read SSL config file");
    }

    @Test
    void reloadsChangedCertificatesAndKeepsTheOldOnesWhenTheNewConfigIsBroken() throws IOException {
        Path config = write("ssl.config", TestPki.sslConfig(server));
        try (ServerTls tls = ServerTls.start(options(config))) {
            assertThat(tls.reloadIfChanged()).as("unchanged").isFalse();

            Issued renewed = TestPki.server(ca, 102);
            Files.writeString(config, TestPki.sslConfig(renewed));
            assertThat(tls.reloadIfChanged()).isTrue();
            assertThat(tls.credentials().certificate().getSerialNumber()).isEqualTo(BigInteger.valueOf(102));

            // A rotation caught half-way: the new key with the old certificate.
            Issued next = TestPki.server(ca, 103);
            Files.writeString(config, TestPki.sslConfig(next.keyPem(), renewed.certificatePem(), "", false));
            assertThatThrownBy(tls::reloadIfChanged).hasMessageContaining("does not belong");
            assertThat(tls.credentials().certificate().getSerialNumber()).isEqualTo(BigInteger.valueOf(102));
            assertThat(tls.reloadIfChanged()).as("the same broken bytes are not tried again").isFalse();

            Files.writeString(config, TestPki.sslConfig(next));
            assertThat(tls.reloadIfChanged()).as("completed rotation").isTrue();
            assertThat(tls.credentials().certificate().getSerialNumber()).isEqualTo(BigInteger.valueOf(103));
        }
    }

    @Test
    void thePollerPicksUpANewCertificateInAPemFile() throws Exception {
        write("tls.key", server.keyPem());
        write("tls.crt", server.certificatePem());
        Path config = write("ssl.config", "server_key_file: \"tls.key\" server_cert_file: \"tls.crt\"");
        try (ServerTls tls = ServerTls.start(new TlsOptions(config, Duration.ofMillis(50)))) {
            Issued renewed = TestPki.server(TestPki.ca("Another CA"), 104);
            // Key first, certificate later, as an ACME client writes them: the poller may see the mismatch between.
            write("tls.key", renewed.keyPem());
            write("tls.crt", renewed.certificatePem());

            Await.until(() -> tls.credentials().certificate().equals(renewed.certificate()), Duration.ofSeconds(10));
        }
    }

    private void assertStartFails(String configText, String message) throws IOException {
        Path config = write("bad.config", configText);
        assertThatThrownBy(() -> ServerTls.start(options(config)))
                .isInstanceOf(ServingException.class).hasMessageContaining(message);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(temp.resolve(name), text);
    }

    private static TlsOptions options(Path config) {
        return new TlsOptions(config, Duration.ZERO);
    }
}
