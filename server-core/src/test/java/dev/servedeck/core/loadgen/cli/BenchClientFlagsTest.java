package dev.servedeck.core.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.loadgen.HalfPlusTwoServer;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.tls.TlsOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * servedeck-bench's client flags against a server with TLS on both ports and bearer tokens: {@code --cacert},
 * {@code --tls}, {@code --token-file}, {@code --token}, and what happens without them.
 */
class BenchClientFlagsTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    static Path dir;

    private static HalfPlusTwoServer server;
    private static Path caFile;
    private static Path tokenFile;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        TestPki.Issued ca = TestPki.ca("Bench Test CA");
        caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path sslConfig = Files.writeString(dir.resolve("ssl.config"), TestPki.sslConfig(TestPki.server(ca, 1)));
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " predict\n");
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        server = new HalfPlusTwoServer(options -> options.withTls(new TlsOptions(sslConfig, Duration.ZERO))
                .withAuth(AuthOptions.none().withTokensFile(tokens)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int bench(String... args) {
        CommandLine command = BenchCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private String httpsUrl() {
        return "https://127.0.0.1:" + server.restPort() + "/v1/models/half_plus_two:predict";
    }

    @Test
    void restOverHttpsWithTheCaAndATokenFileSucceeds() throws Exception {
        int exit = bench("--url", httpsUrl(), "--cacert", caFile.toString(), "--token-file", tokenFile.toString(),
                "-c", "2", "-n", "40", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.at("/statuses/200").asLong()).isEqualTo(40);
        assertThat(result.get("target").asText()).startsWith("REST https://127.0.0.1:");
    }

    @Test
    void grpcOverTlsWithTheCaAndATokenSucceeds() throws Exception {
        int exit = bench("--grpc", "127.0.0.1:" + server.grpcPort(), "--model", "half_plus_two", "--tls",
                "--cacert", caFile.toString(), "--token", TOKEN, "-c", "2", "-n", "40", "-w", "0s", "-q",
                "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.at("/statuses/OK").asLong()).isEqualTo(40);
        assertThat(result.get("target").asText()).startsWith("gRPC tls 127.0.0.1:");
    }

    @Test
    void withoutTheTokenEveryAnswerIsCountedAsUnauthenticated() throws Exception {
        // A body file: the signature cannot be read without the token either.
        Path body = Files.writeString(dir.resolve("body.json"), "{\"instances\":[1.0]}");
        int exit = bench("--url", httpsUrl(), "--cacert", caFile.toString(), "--body", body.toString(), "-c", "1",
                "-n", "10", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.at("/errors/401").asLong()).isEqualTo(10);
        assertThat(result.get("ok").asLong()).isZero();
    }

    @Test
    void aCertificateNotTrustedIsAnErrorMessage() {
        int exit = bench("--grpc", "127.0.0.1:" + server.grpcPort(), "--model", "half_plus_two", "--tls",
                "--token", TOKEN, "-n", "10", "-q");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("servedeck-bench: ").doesNotContain("\tat ");
    }

    @Test
    void insecureSkipsTheCertificateCheck() throws Exception {
        int exit = bench("--url", httpsUrl(), "--insecure", "--token-file", tokenFile.toString(), "-c", "1", "-n",
                "10", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).at("/statuses/200").asLong()).isEqualTo(10);
    }
}
