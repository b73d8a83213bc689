package dev.servedeck.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.console.connections.Connection;
import dev.servedeck.core.testing.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The remote flags: --server opens that server, --token-file and --ca-cert go with it, bad ones stop at once. */
class ConsoleOptionsTest {

    @TempDir
    Path dir;

    @Test
    void serverWithTokenFileAndCaCertNamesTheConnection() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "\n  s3cret-token  \nsecond line ignored\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), TestPki.ca("Options Test CA").certificatePem());

        ConsoleOptions options = ConsoleOptions.parse(List.of("--server", "https://edge-3.local:8501",
                "--token-file", token.toString(), "--ca-cert", ca.toString()));

        Connection server = options.remoteServer().orElseThrow();
        assertThat(server.address()).isEqualTo(URI.create("https://edge-3.local:8501"));
        assertThat(server.name()).isEqualTo("edge-3.local:8501");
        assertThat(server.caCert()).contains(ca.toAbsolutePath());
        assertThat(server.isEmbedded()).isFalse();
        assertThat(options.remoteToken()).contains("s3cret-token");
    }

    @Test
    void withoutServerTheConsoleManagesItsEmbeddedServer() {
        ConsoleOptions options = ConsoleOptions.parse(List.of("--demo"));
        assertThat(options.remoteServer()).isEmpty();
        assertThat(options.remoteToken()).isEmpty();
    }

    @Test
    void clientCertificateKeyAndGrpcPortGoToTheRemoteConnection() throws Exception {
        TestPki.Issued identity = TestPki.client(TestPki.ca("Options Test Client CA"), "console");
        Path cert = Files.writeString(dir.resolve("console.pem"), identity.certificatePem());
        Path key = Files.writeString(dir.resolve("console-key.pem"), identity.keyPem());
        ConsoleOptions options = ConsoleOptions.parse(List.of("--server", "https://edge-3.local:9501",
                "--client-cert", cert.toString(), "--client-key", key.toString(), "--grpc-port", "9400"));

        Connection server = options.remoteServer().orElseThrow();
        assertThat(server.clientCert()).contains(cert.toAbsolutePath());
        assertThat(server.adminPort()).isEqualTo(9400);
        assertThat(options.remoteClientKey()).contains(identity.keyPem());
        assertThat(ConsoleOptions.parse(List.of("--server", "https://edge-3.local:9501")).remoteServer()
                .orElseThrow().adminPort()).as("TF Serving's pair 8501/8500").isEqualTo(9500);

        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "https://edge:8501", "--client-cert",
                cert.toString()))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--client-cert and --client-key go together");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "http://edge:8501", "--client-cert",
                cert.toString(), "--client-key", key.toString()))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("https://");
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nabc\n");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "https://edge:8501", "--client-cert",
                cert.toString(), "--client-key", notAKey.toString()))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("PKCS#8");
        Path notACa = Files.writeString(dir.resolve("not-a-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "https://edge:8501", "--ca-cert",
                notACa.toString()))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("Cannot set up TLS for edge:8501");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--client-key", key.toString())))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("go with --server");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "https://edge:8501", "--grpc-port", "0")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("remote server's gRPC port");
    }

    @Test
    void aHostAndPortAloneMeanPlainHttp() {
        assertThat(ConsoleOptions.parse(List.of("--server", "edge-3:8501")).remoteServer().orElseThrow().address())
                .isEqualTo(URI.create("http://edge-3:8501"));
    }

    @Test
    void aPlainTfServingsModelsAndPrometheusUrlGoWithTheServer() {
        var hints = ConsoleOptions.parse(List.of("--server", "edge-7:8501", "--tf-serving-models", "resnet,bert",
                "--prometheus-url", "http://edge-7:8501/monitoring/prometheus/metrics")).remoteServer().orElseThrow()
                .tfServing();

        assertThat(hints.modelNames()).containsExactly("resnet", "bert");
        assertThat(hints.prometheus()).hasValue(URI.create("http://edge-7:8501/monitoring/prometheus/metrics"));
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--tf-serving-models", "resnet")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("go with --server");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "edge-7:8501", "--prometheus-url",
                "edge-7:8501/metrics"))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("a full http:// or https:// URL");
    }

    @Test
    void badRemoteFlagsStopBeforeAnyWindowOpens() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--token-file", "t")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("go with --server");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "ftp://edge:21")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "https://edge")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("host and the REST port");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "http://edge:8501", "--ca-cert",
                ca.toString()))).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("https://");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server", "https://edge:8501", "--token-file",
                dir.resolve("missing").toString()))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("Cannot read");
    }
}
