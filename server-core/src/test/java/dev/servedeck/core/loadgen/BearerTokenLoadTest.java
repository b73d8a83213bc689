package dev.servedeck.core.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.loadgen.body.JsonPredictRequest;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.grpc.GrpcLoadTarget;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.Signatures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's bearer token, against a server with {@code --auth_tokens_file}: with it, answers; without, 401s. */
class BearerTokenLoadTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String BODY = "{\"instances\":[[1.0],[2.0],[5.0]]}";
    private static HalfPlusTwoServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " predict\n");
        server = new HalfPlusTwoServer(options -> options.withAuth(AuthOptions.none().withTokensFile(tokens)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static LoadResult restLoad(String token) throws Exception {
        RestLoadTarget target = RestLoadTarget.create(URI.create(server.predictUrl("half_plus_two")),
                BODY.getBytes(StandardCharsets.UTF_8), token, null, 1, 3);
        return LoadRun.start(target, LoadPlan.closedLoop(2, Duration.ofSeconds(1)).withRequests(50)).result()
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void restSendsTheTokenOnEveryRequest() throws Exception {
        assertThat(restLoad(TOKEN).statuses()).isEqualTo(Map.of("200", 50L));
        assertThat(restLoad(null).errors()).isEqualTo(Map.of("401", 50L));
    }

    @Test
    void grpcSendsTheTokenOnEveryCallAndForTheSignatures() throws Exception {
        GrpcEndpoint endpoint = new GrpcEndpoint("127.0.0.1", server.grpcPort(), null, TOKEN);
        List<SignatureInfo> signatures = Signatures.describe(endpoint.signatureDefs("half_plus_two", null));
        LoadResult result = LoadRun.start(GrpcLoadTarget.create(endpoint,
                        JsonPredictRequest.of(BODY, "half_plus_two", null, signatures), 1, 3),
                LoadPlan.closedLoop(2, Duration.ofSeconds(1)).withRequests(50)).result().get(60, TimeUnit.SECONDS);

        assertThat(result.statuses()).isEqualTo(Map.of("OK", 50L));
    }
}
