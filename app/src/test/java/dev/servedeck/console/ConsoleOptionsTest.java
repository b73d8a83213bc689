package dev.servedeck.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.console.connections.Connection;
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
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

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
    void aHostAndPortAloneMeanPlainHttp() {
        assertThat(ConsoleOptions.parse(List.of("--server", "edge-3:8501")).remoteServer().orElseThrow().address())
                .isEqualTo(URI.create("http://edge-3:8501"));
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
