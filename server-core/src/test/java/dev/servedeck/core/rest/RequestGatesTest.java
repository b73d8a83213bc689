package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.MetricsExposition;
import dev.servedeck.core.ServerHealth;
import dev.servedeck.core.security.Authorizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST front end's gates over real sockets, with exact bytes on the wire: bearer tokens (401, 403,
 * WWW-Authenticate, open paths) and the Host check, and what a refusal leaves of the connection.
 */
class RequestGatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREDICTOR = "predict-token-0123456789";
    private static final String SCRAPER = "metrics-token-0123456789";
    private static final String PREDICT = "/v1/models/half_plus_two:predict";
    private static final String METRICS = "/metrics";
    private static final String BODY = "{\"instances\": [1.0]}";
    private static final MetricsExposition EXPOSITION = new MetricsExposition() {
        @Override
        public String contentType(String acceptHeader) {
            return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public void write(java.io.OutputStream out, String acceptHeader) throws java.io.IOException {
            out.write("up 1\n".getBytes(StandardCharsets.UTF_8));
        }
    };

    @TempDir
    Path dir;

    private final FakeServingApi api = new FakeServingApi();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RestServer start(RestOptions options, boolean tokens) throws Exception {
        Authorizer authorizer = Authorizer.disabled();
        if (tokens) {
            Path file = Files.writeString(dir.resolve("tokens"), PREDICTOR + " predict\n" + SCRAPER + " metrics\n");
            authorizer = Authorizer.fromTokenFile(file, Duration.ofHours(1));
            open.add(authorizer);
        }
        MonitoringRoutes routes = new MonitoringRoutes(Optional.of(METRICS), Optional.of(EXPOSITION),
                Optional.of(() -> ServerHealth.READY));
        RestServer server = RestServer.start(api, options, routes, Optional.empty(), authorizer);
        open.add(() -> server.close(Duration.ofSeconds(2)));
        return server;
    }

    private RestServer withTokens() throws Exception {
        return start(RestOptions.defaults().withNumThreads(2), true);
    }

    private RawHttpConnection connect(RestServer server) throws Exception {
        RawHttpConnection connection = new RawHttpConnection(server.port());
        open.add(connection);
        return connection;
    }

    /** A request with exactly these headers (a Host among them, or not). */
    private static byte[] request(String method, String path, String body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(content);
        return bytes.toByteArray();
    }

    private static byte[] withToken(String method, String path, String body, String token) {
        return token == null ? request(method, path, body, "Host: localhost")
                : request(method, path, body, "Host: localhost", "Authorization: Bearer " + token);
    }

    private static String error(RawHttpConnection.Response response) throws Exception {
        return JSON.readTree(response.body()).path("error").asText();
    }

    @Test
    void noTokenIs401WithABearerChallenge() throws Exception {
        RawHttpConnection connection = connect(withTokens());
        connection.send(withToken("POST", PREDICT, BODY, null));
        RawHttpConnection.Response response = connection.read();

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"ServeDeck\"");
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(error(response)).isEqualTo("Authentication required: send a bearer token ('authorization: "
                + "Bearer TOKEN')");
    }

    @Test
    void anUnknownTokenIs401InvalidToken() throws Exception {
        RawHttpConnection connection = connect(withTokens());
        connection.send(withToken("POST", PREDICT, BODY, "guessed-token-0123456789"));
        RawHttpConnection.Response response = connection.read();

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"ServeDeck\", error=\"invalid_token\"");
        assertThat(error(response)).isEqualTo("Authentication failed: the bearer token is not valid");
    }

    @Test
    void aTokenWithoutTheScopeIs403InsufficientScope() throws Exception {
        RawHttpConnection connection = connect(withTokens());
        RawHttpConnection.Response predict = exchange(connection, withToken("POST", PREDICT, BODY, SCRAPER));
        RawHttpConnection.Response metrics = exchange(connection, withToken("GET", METRICS, null, PREDICTOR));

        assertThat(predict.status()).isEqualTo(403);
        assertThat(predict.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"ServeDeck\", error=\"insufficient_scope\", scope=\"predict\"");
        assertThat(error(predict)).isEqualTo("Permission denied: Predict needs a token with the 'predict' scope");
        assertThat(metrics.status()).isEqualTo(403);
        assertThat(error(metrics)).isEqualTo(
                "Permission denied: the Prometheus metrics path needs a token with the 'metrics' scope");
    }

    @Test
    void theRightScopeIsServed() throws Exception {
        RawHttpConnection connection = connect(withTokens());

        RawHttpConnection.Response predicted = exchange(connection, withToken("POST", PREDICT, BODY, PREDICTOR));
        assertThat(predicted.status()).isEqualTo(200);
        assertThat(JSON.readTree(predicted.body())).isEqualTo(JSON.readTree("{\"predictions\": [2.5]}"));
        assertThat(predicted.header("WWW-Authenticate")).isNull();
        assertThat(exchange(connection, withToken("GET", "/v1/models/half_plus_two", null, PREDICTOR)).status())
                .isEqualTo(200);
        assertThat(exchange(connection, withToken("GET", "/v1/models/half_plus_two/metadata", null, PREDICTOR))
                .status()).isEqualTo(200);
        RawHttpConnection.Response scraped = exchange(connection, withToken("GET", METRICS, null, SCRAPER));
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).isEqualTo("up 1\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models/half_plus_two", "/v1/models/half_plus_two/metadata",
            "/v1/models/half_plus_two:classify", "/v1/models/half_plus_two:regress", "/metrics", "/nowhere",
            "/v1/models/half_plus_two/versions/123:predict"})
    void everyPathButHealthWantsAToken(String path) throws Exception {
        RawHttpConnection connection = connect(withTokens());
        String method = path.contains(":") ? "POST" : "GET";

        assertThat(exchange(connection, withToken(method, path, method.equals("POST") ? BODY : null, null)).status())
                .isEqualTo(401);
    }

    @Test
    void healthIsOpenAndAnUnknownPathIs404ToATokenHolder() throws Exception {
        RawHttpConnection connection = connect(withTokens());

        RawHttpConnection.Response health = exchange(connection, withToken("GET", "/v1/health", null, null));
        assertThat(health.status()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ready");
        assertThat(exchange(connection, withToken("GET", "/V1/HEALTH", null, null)).status()).isEqualTo(200);
        assertThat(exchange(connection, withToken("GET", "/nowhere", null, SCRAPER)).status()).isEqualTo(404);
        assertThat(exchange(connection, withToken("GET", PREDICT, null, PREDICTOR)).status()).isEqualTo(405);
    }

    @Test
    void aRefusedBodyIsDiscardedAndPipelinedAnswersKeepTheirOrder() throws Exception {
        RawHttpConnection connection = connect(withTokens());
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        pipelined.writeBytes(withToken("POST", PREDICT, BODY, null));
        pipelined.writeBytes(withToken("POST", PREDICT, "{\"instances\": [3.0]}", PREDICTOR));
        pipelined.writeBytes(withToken("POST", PREDICT, BODY, "guessed-token-0123456789"));
        pipelined.writeBytes(withToken("POST", PREDICT, "{\"instances\": [5.0]}", PREDICTOR));
        connection.send(pipelined.toByteArray());

        assertThat(connection.read().status()).isEqualTo(401);
        RawHttpConnection.Response second = connection.read();
        assertThat(second.status()).isEqualTo(200);
        assertThat(JSON.readTree(second.body()).path("predictions").get(0).asDouble()).isEqualTo(3.5);
        assertThat(connection.read().status()).isEqualTo(401);
        RawHttpConnection.Response fourth = connection.read();
        assertThat(fourth.status()).isEqualTo(200);
        assertThat(JSON.readTree(fourth.body()).path("predictions").get(0).asDouble()).isEqualTo(4.5);
    }

    @Test
    void aRefusedBodyIsNotBufferedWhateverItsSize() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withMaxBodyBytes(1024), true);
        RawHttpConnection connection = connect(server);
        String big = "{\"instances\": [" + "1.0, ".repeat(2000) + "1.0]}";

        RawHttpConnection.Response refused = exchange(connection, withToken("POST", PREDICT, big, null));
        assertThat(refused.status()).as("judged before the body: 401, not 413").isEqualTo(401);
        assertThat(exchange(connection, withToken("POST", PREDICT, BODY, PREDICTOR)).status()).isEqualTo(200);
    }

    @Test
    void aRefusedClientWaitingForContinueIsAnsweredAndDisconnected() throws Exception {
        RawHttpConnection connection = connect(withTokens());
        connection.send(request("POST", PREDICT, null, "Host: localhost", "Content-Type: application/json",
                "Content-Length: 20", "Expect: 100-continue"));

        RawHttpConnection.Response response = connection.read();
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(connection.closedByServer()).isTrue();
    }

    @Test
    void corsPreflightsNeedNoTokenAndMayAskForAuthorization() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withCors(true), true);
        RawHttpConnection connection = connect(server);

        RawHttpConnection.Response preflight = exchange(connection, request("OPTIONS", PREDICT, null,
                "Host: localhost", "Origin: http://app.example", "Access-Control-Request-Method: POST",
                "Access-Control-Request-Headers: authorization, content-type"));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
        RawHttpConnection.Response refused = exchange(connection, withToken("POST", PREDICT, BODY, null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Access-Control-Allow-Origin")).as("the browser may read the 401").isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST:%d", "localhost:%d", "127.0.0.1:%d", "127.0.0.1", "[::1]:%d",
            "[::1]"})
    void theLoopbackHostCheckAnswersLoopbackNames(String host) throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withAllowedHosts(AllowedHosts.LOOPBACK),
                false);
        RawHttpConnection connection = connect(server);

        RawHttpConnection.Response response = exchange(connection, request("POST", PREDICT, BODY,
                "Host: " + host.formatted(server.port())));
        assertThat(response.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:%d", "evil.example", "localhost.evil.example:%d", "127.0.0.2:%d",
            "[::2]:%d", "127.0.0.1.nip.io:%d"})
    void theLoopbackHostCheckRefusesOtherNames(String host) throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withAllowedHosts(AllowedHosts.LOOPBACK),
                false);
        RawHttpConnection connection = connect(server);
        String header = host.formatted(server.port());

        RawHttpConnection.Response refused = exchange(connection, request("POST", PREDICT, BODY, "Host: " + header));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(error(refused)).isEqualTo("Host '" + header + "' is not allowed: this server answers only "
                + "requests for localhost,127.0.0.1,[::1] (--rest_api_allowed_hosts)");
        assertThat(exchange(connection, request("POST", PREDICT, BODY, "Host: localhost")).status())
                .as("the connection keeps serving").isEqualTo(200);
    }

    @Test
    void theHostCheckCoversHealthAndRequestsWithoutAHost() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withAllowedHosts(AllowedHosts.LOOPBACK),
                false);
        RawHttpConnection connection = connect(server);

        assertThat(exchange(connection, request("GET", "/v1/health", null, "Host: evil.example")).status())
                .isEqualTo(403);
        connection.send("GET /v1/health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttpConnection.Response noHost = connection.read();
        assertThat(noHost.status()).isEqualTo(403);
        assertThat(error(noHost)).startsWith("A Host header is required");
    }

    @Test
    void theHostIsCheckedBeforeTheToken() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withAllowedHosts(AllowedHosts.LOOPBACK),
                true);
        RawHttpConnection connection = connect(server);

        assertThat(exchange(connection, request("POST", PREDICT, BODY, "Host: evil.example",
                "Authorization: Bearer " + PREDICTOR)).status()).isEqualTo(403);
        assertThat(exchange(connection, request("POST", PREDICT, BODY, "Host: 127.0.0.1")).status()).isEqualTo(401);
        assertThat(exchange(connection, request("POST", PREDICT, BODY, "Host: 127.0.0.1",
                "Authorization: Bearer " + PREDICTOR)).status()).isEqualTo(200);
    }

    @Test
    void allowedHostsParseAsTheFlagWritesThem() {
        assertThat(AllowedHosts.parse("").allowsAny()).isTrue();
        assertThat(AllowedHosts.parse("Localhost, ::1,[::1],10.0.0.5").names())
                .containsExactlyInAnyOrder("localhost", "[::1]", "10.0.0.5");
        assertThat(AllowedHosts.parse("models.internal").permits("MODELS.internal:8501")).isTrue();
        assertThat(AllowedHosts.ANY.permits(null)).isTrue();
    }

    private static RawHttpConnection.Response exchange(RawHttpConnection connection, byte[] request) throws Exception {
        connection.send(request);
        return connection.read();
    }
}
