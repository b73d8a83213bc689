package dev.servedeck.core.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.loadgen.HalfPlusTwoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** servedeck-bench against a real server: the table, the JSON, bodies from the signature and from a file. */
class BenchCommandTest {

    private static HalfPlusTwoServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = new HalfPlusTwoServer();
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

    @Test
    void restWithABodyBuiltFromTheSignaturePrintsATableAndWritesJson() throws Exception {
        Path json = dir.resolve("out.json");
        int exit = bench("--url", server.predictUrl("half_plus_two"), "-c", "2", "-n", "200", "-w", "0s", "-q",
                "--json", json.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Throughput").contains("200: 200").contains("3 rows per request");
        JsonNode result = new ObjectMapper().readTree(Files.readString(json));
        assertThat(result.get("answered").asLong()).isEqualTo(200);
        assertThat(result.get("ok").asLong()).isEqualTo(200);
        assertThat(result.get("rows_per_request").asInt()).isEqualTo(3);
        assertThat(result.get("requests_per_second").asDouble()).isPositive();
    }

    @Test
    void grpcWithABodyFileWritesJsonToStdout() throws Exception {
        Path body = Files.writeString(dir.resolve("body.json"), "{\"instances\":[1.0, 2.0]}");
        int exit = bench("--grpc", "127.0.0.1:" + server.grpcPort(), "--model", "half_plus_two", "--body",
                body.toString(), "-c", "4", "-n", "100", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.at("/statuses/OK").asLong()).isEqualTo(100);
        assertThat(result.get("rows_per_request").asInt()).isEqualTo(2);
        assertThat(err.toString()).contains("Throughput"); // the table moves to stderr
    }

    @Test
    void anOpenLoopRunSaysSo() throws Exception {
        int exit = bench("--url", "http://127.0.0.1:" + server.restPort(), "--model", "half_plus_two", "--rate", "200",
                "-c", "4", "-d", "1s", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.at("/plan/mode").asText()).isEqualTo("open_loop");
        assertThat(result.get("coordinated_omission_corrected").asBoolean()).isTrue();
        // 200 due in the second: answered, or counted unsent if the busy machine held all 4 connections
        assertThat(result.get("answered").asLong() + result.get("unsent").asLong()).isBetween(199L, 201L);
        assertThat(result.get("requests_per_second").asDouble()).isLessThan(220);
    }

    @Test
    void protocolV2OverRestBuildsTheInferUrlAndBodyFromTheSignature() throws Exception {
        int exit = bench("--url", "http://127.0.0.1:" + server.restPort(), "--model", "half_plus_two",
                "--protocol", "v2", "-c", "2", "-n", "100", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.get("target").asText()).contains("/v2/models/half_plus_two/infer");
        assertThat(result.at("/statuses/200").asLong()).isEqualTo(100);
        assertThat(result.get("rows_per_request").asInt()).isEqualTo(3);
    }

    @Test
    void binaryTensorsOverRestV2() throws Exception {
        int exit = bench("--url", "http://127.0.0.1:" + server.restPort(), "--model", "half_plus_two",
                "--protocol", "v2", "--binary", "-c", "2", "-n", "100", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).at("/statuses/200").asLong()).isEqualTo(100);

        int refused = bench("--url", server.predictUrl("half_plus_two"), "--binary", "-n", "10", "-q");
        assertThat(refused).isEqualTo(2); // picocli's usage error
        assertThat(err.toString()).contains("--binary needs --protocol v2");
    }

    @Test
    void anInferUrlSpeaksV2WithoutTheFlagAndAV1UrlRefusesIt() throws Exception {
        String infer = "http://127.0.0.1:" + server.restPort() + "/v2/models/half_plus_two/versions/123/infer";
        int exit = bench("--url", infer, "-c", "2", "-n", "50", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).at("/statuses/200").asLong()).isEqualTo(50);

        int refused = bench("--url", server.predictUrl("half_plus_two"), "--protocol", "v2", "-n", "10", "-q");
        assertThat(refused).isEqualTo(1);
        assertThat(err.toString()).contains("--protocol v2 with a v1 URL");
    }

    @Test
    void protocolV2OverGrpcCallsModelInfer() throws Exception {
        Path body = Files.writeString(dir.resolve("infer.json"),
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1.0,2.0]}]}");
        int exit = bench("--grpc", "127.0.0.1:" + server.grpcPort(), "--model", "half_plus_two", "--protocol", "V2",
                "--body", body.toString(), "-c", "4", "-n", "100", "-w", "0s", "-q", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.get("target").asText()).contains("ModelInfer");
        assertThat(result.at("/statuses/OK").asLong()).isEqualTo(100);
        assertThat(result.get("rows_per_request").asInt()).isEqualTo(2);
    }

    @Test
    void aSweepPrintsOneRowPerLevelAndWritesEachPointAsJson() throws Exception {
        int exit = bench("--url", server.predictUrl("half_plus_two"), "--sweep", "1,2,4", "-n", "60", "-w", "0s", "-q",
                "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.get("points")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(result.at("/points/" + i + "/concurrency").asInt()).isEqualTo(1 << i);
            assertThat(result.at("/points/" + i + "/answered").asLong()).isEqualTo(60);
            assertThat(result.at("/points/" + i + "/statuses/200").asLong()).isEqualTo(60);
        }
        assertThat(err.toString()).contains("conc").contains("p99 ms")
                .containsPattern("(?m)^\\s+4 +[0-9,.]+ ");
    }

    @Test
    void aServerThatIsNotThereIsAnErrorMessageNotAStackTrace() {
        int exit = bench("--grpc", "127.0.0.1:1", "--model", "half_plus_two", "-n", "10", "-q");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("servedeck-bench: ").doesNotContain("\tat ");
    }
}
