package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.status.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestServerTest {

    private static final ObjectMapper JSON = new ObjectMapper(RestJsonFactory.create());

    private final FakeServingApi api = new FakeServingApi();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RestServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        api.releaseSlow();
        servers.forEach(server -> server.close(Duration.ofSeconds(2)));
    }

    private RestServer start(RestOptions options) {
        RestServer server = RestServer.start(api, options);
        servers.add(server);
        return server;
    }

    private RestServer start() {
        return start(RestOptions.defaults().withNumThreads(4));
    }

    private static HttpRequest.Builder request(RestServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> post(RestServer server, String path, String body) {
        return send(request(server, path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> get(RestServer server, String path) {
        return send(request(server, path).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String error(HttpResponse<String> response) {
        return json(response.body()).get("error").asText();
    }

    @Test
    void answersTfServingsHalfPlusTwoExamples() {
        RestServer server = start();

        HttpResponse<String> rows = post(server, "/v1/models/half_plus_two:predict", "{\"instances\": [2.0, 3.0, 4.0]}");
        assertThat(rows.statusCode()).isEqualTo(200);
        assertThat(rows.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(rows.headers().firstValueAsLong("content-length")).hasValue(rows.body().length());
        assertThat(json(rows.body())).isEqualTo(json("{\"predictions\": [3.0, 3.5, 4.0]}"));

        HttpResponse<String> columns = post(server, "/v1/models/half_plus_two:predict", "{\"inputs\": [2.0, 3.0, 4.0]}");
        assertThat(json(columns.body())).isEqualTo(json("{\"outputs\": [3.0, 3.5, 4.0]}"));

        HttpResponse<String> classify = post(server, "/v1/models/half_plus_two:classify",
                "{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        assertThat(json(classify.body())).isEqualTo(json("{\"results\": [[[\"\", 3.0]]]}"));

        HttpResponse<String> regress = post(server, "/v1/models/half_plus_two:regress",
                "{\"signature_name\": \"regress_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        assertThat(json(regress.body())).isEqualTo(json("{\"results\": [3.0]}"));
    }

    @Test
    void answersStatusAndMetadata() {
        RestServer server = start();

        HttpResponse<String> status = get(server, "/v1/models/half_plus_two/versions/123");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(json(status.body())).isEqualTo(json("{\"model_version_status\": [{\"version\": \"123\","
                + " \"state\": \"AVAILABLE\", \"status\": {\"error_code\": \"OK\", \"error_message\": \"\"}}]}"));
        assertThat(json(get(server, "/v1/models/half_plus_two").body()).get("model_version_status")).hasSize(2);

        JsonNode metadata = json(get(server, "/v1/models/half_plus_two/metadata").body());
        assertThat(metadata.at("/model_spec/version").asText()).isEqualTo("124");
        assertThat(metadata.at("/metadata/signature_def/signature_def/serving_default/inputs/x/dtype").asText())
                .isEqualTo("DT_FLOAT");
    }

    @Test
    void routesCaseInsensitivelyWithVersionsAndLabels() {
        RestServer server = start();

        assertThat(post(server, "/V1/MODELS/half_plus_two/VERSIONS/123:PREDICT", "{\"inputs\": [1.0]}").statusCode())
                .isEqualTo(200);
        assertThat(api.specs.poll()).isEqualTo(ModelSpec.version("half_plus_two", 123));
        assertThat(post(server, "/v1/models/half_plus_two/labels/stable:predict",
                "{\"signature_name\": \"serving_default\", \"inputs\": [1.0]}").statusCode()).isEqualTo(200);
        assertThat(api.specs.poll()).isEqualTo(
                new ModelSpec("half_plus_two", OptionalLong.empty(), Optional.of("stable"), "serving_default"));
        assertThat(json(get(server, "/v1/models/half_plus_two/labels/stable/METADATA").body())
                .at("/model_spec/version").asText()).isEqualTo("123");

        HttpResponse<String> unknownVersion = post(server, "/v1/models/half_plus_two/versions/7:predict", "{\"inputs\": [1]}");
        assertThat(unknownVersion.statusCode()).isEqualTo(404);
        assertThat(error(unknownVersion)).isEqualTo("Servable not found for request: Specific(half_plus_two, 7)");
    }

    @Test
    void rejectsUnknownPathsAndMethods() {
        RestServer server = start();

        HttpResponse<String> unknown = post(server, "/v1/foo", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo("Malformed request: POST /v1/foo");
        assertThat(get(server, "/").statusCode()).isEqualTo(404);

        HttpResponse<String> wrongMethod = get(server, "/v1/models/half_plus_two:predict");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
        assertThat(error(wrongMethod)).isEqualTo("Malformed request: GET /v1/models/half_plus_two:predict");
        HttpResponse<String> delete = send(request(server, "/v1/models/half_plus_two").DELETE().build());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("allow")).hasValue("GET");

        HttpResponse<String> unknownModel = post(server, "/v1/models/nope:predict", "{\"inputs\": [1]}");
        assertThat(unknownModel.statusCode()).isEqualTo(404);
        assertThat(error(unknownModel)).isEqualTo("Servable not found for request: Latest(nope)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "CANCELLED, 499", "UNKNOWN, 500", "INVALID_ARGUMENT, 400", "DEADLINE_EXCEEDED, 504", "NOT_FOUND, 404",
        "ALREADY_EXISTS, 409", "PERMISSION_DENIED, 403", "RESOURCE_EXHAUSTED, 429", "FAILED_PRECONDITION, 400",
        "ABORTED, 409", "OUT_OF_RANGE, 400", "UNIMPLEMENTED, 501", "INTERNAL, 500", "UNAVAILABLE, 503",
        "DATA_LOSS, 500", "UNAUTHENTICATED, 401",
    })
    void mapsEveryStatusCodeToTfServingsHttpStatus(Code code, int httpStatus) {
        RestServer server = start();

        HttpResponse<String> predict = post(server, "/v1/models/error-" + code + ":predict", "{\"inputs\": [1]}");
        HttpResponse<String> status = get(server, "/v1/models/error-" + code);

        for (HttpResponse<String> response : List.of(predict, status)) {
            assertThat(response.statusCode()).isEqualTo(httpStatus);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(error(response)).isEqualTo("failure " + code + " \"quoted\"\nsecond line");
        }
    }

    @Test
    void badRequestsGetClearMessages() {
        RestServer server = start();

        HttpResponse<String> malformed = post(server, "/v1/models/half_plus_two:predict", "{\"instances\": [1.0,");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(error(malformed)).startsWith("JSON Parse error: ");

        HttpResponse<String> ragged = post(server, "/v1/models/half_plus_two:predict", "{\"instances\": [[1], [2, 3]]}");
        assertThat(ragged.statusCode()).isEqualTo(400);
        assertThat(error(ragged)).contains("Encountered list at unexpected size");

        HttpResponse<String> typed = post(server, "/v1/models/half_plus_two:predict", "{\"inputs\": [\"a\"]}");
        assertThat(typed.statusCode()).isEqualTo(400);
        assertThat(error(typed)).contains("x").contains("is not of expected type: float");

        HttpResponse<String> empty = post(server, "/v1/models/half_plus_two:regress", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(error(empty)).isEqualTo("JSON Parse error: The document is empty");
    }

    @Test
    void unexpectedFailuresAnswer500WithoutDetails() {
        RestServer server = start();

        HttpResponse<String> response = post(server, "/v1/models/crash:predict", "{\"inputs\": [1]}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret").doesNotContain("IllegalStateException");
        assertThat(error(response)).isNotBlank();
    }

    @Test
    void oversizedBodiesAnswer413AndTheConnectionKeepsServing() throws IOException {
        RestServer server = start(RestOptions.defaults().withNumThreads(2).withMaxBodyBytes(1024));
        String big = "{\"inputs\": [" + "1.0, ".repeat(1000) + "1.0]}";

        HttpResponse<String> response = post(server, "/v1/models/half_plus_two:predict", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response)).contains("1024");
        assertThat(post(server, "/v1/models/half_plus_two:predict", "{\"inputs\": [2.0]}").statusCode()).isEqualTo(200);

        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            RawHttpConnection.Response tooLarge = connection.exchange("POST", "/v1/models/half_plus_two:predict", big);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.header("content-type")).isEqualTo("application/json");
            RawHttpConnection.Response next = connection.exchange("POST", "/v1/models/half_plus_two:predict",
                    "{\"inputs\": [2.0]}");
            assertThat(next.status()).isEqualTo(200);
            assertThat(json(next.body())).isEqualTo(json("{\"outputs\": [3.0]}"));
        }
    }

    @Test
    void corsWhenEnabled() {
        RestServer plain = start();
        assertThat(get(plain, "/v1/models/half_plus_two").headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(send(request(plain, "/v1/models/half_plus_two:predict")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(405);

        RestServer cors = start(RestOptions.defaults().withNumThreads(2).withCors(true));
        HttpResponse<String> preflight = send(request(cors, "/v1/models/half_plus_two:predict")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(
                methods -> assertThat(methods).contains("POST"));
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("Content-Type, Authorization");

        HttpResponse<String> predict = post(cors, "/v1/models/half_plus_two:predict", "{\"inputs\": [2.0]}");
        assertThat(predict.statusCode()).isEqualTo(200);
        assertThat(predict.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(post(cors, "/v1/nope", "{}").headers().firstValue("access-control-allow-origin")).hasValue("*");
    }

    @Test
    void keepsOneConnectionAliveForManySequentialRequests() throws IOException {
        RestServer server = start();

        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            for (int i = 0; i < 300; i++) {
                RawHttpConnection.Response response = connection.exchange("POST", "/v1/models/half_plus_two:predict",
                        "{\"inputs\": [" + i + ".0]}");
                assertThat(response.status()).isEqualTo(200);
                assertThat(json(response.body()).get("outputs").get(0).floatValue()).isEqualTo(0.5f * i + 2f);
                assertThat(response.header("connection")).isNull();
            }
            RawHttpConnection.Response last = connection.exchange("GET", "/v1/models/nope", null);
            assertThat(last.status()).isEqualTo(404);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        RestServer server = start(RestOptions.defaults().withNumThreads(8));

        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            int count = 60;
            for (int i = 0; i < count; i++) {
                // Fast rejections (answered on the event loop) interleave with calls run on the executor.
                burst.writeBytes(i % 3 == 0
                        ? RawHttpConnection.request("GET", "/v1/unknown/" + i, null)
                        : RawHttpConnection.request("POST", "/v1/models/half_plus_two:predict", "{\"inputs\": [" + i + "]}"));
            }
            connection.send(burst.toByteArray());
            for (int i = 0; i < count; i++) {
                RawHttpConnection.Response response = connection.read();
                if (i % 3 == 0) {
                    assertThat(response.status()).isEqualTo(404);
                    assertThat(error(response.body())).isEqualTo("Malformed request: GET /v1/unknown/" + i);
                } else {
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(json(response.body()).get("outputs").get(0).floatValue()).isEqualTo(0.5f * i + 2f);
                }
            }
        }
    }

    private static String error(String body) {
        return json(body).get("error").asText();
    }

    @Test
    void servesManyConcurrentClients() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(4));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 25; i++) {
                        float x = client * 100 + i;
                        HttpResponse<String> response = post(server, "/v1/models/half_plus_two:predict",
                                "{\"instances\": [[" + x + "]]}");
                        if (response.statusCode() == 200
                                && json(response.body()).at("/predictions/0/0").floatValue() == 0.5f * x + 2f) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(25);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void requestsThatWaitedPastTheTimeoutAnswerDeadlineExceeded() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(1).withTimeout(Duration.ofMillis(100)));

        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                request(server, "/v1/models/slow:predict").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [1]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> queued = client.sendAsync(
                request(server, "/v1/models/half_plus_two:predict").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [1]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        api.releaseSlow();

        assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> timedOut = queued.get(5, TimeUnit.SECONDS);
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(error(timedOut)).startsWith("Deadline exceeded");
        assertThat(post(server, "/v1/models/half_plus_two:predict", "{\"inputs\": [1]}").statusCode()).isEqualTo(200);
    }

    @Test
    void aPredictCallCountsAsExpectedByBatchingWhileItWaitsForAWorker() throws Exception {
        RestServer server = start(RestOptions.defaults().withNumThreads(1));
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                request(server, "/v1/models/slow:predict").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [1]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(api.expectedPredicts).as("picked up by the worker: the core counts it now").hasValue(0);

        CompletableFuture<HttpResponse<String>> queued = client.sendAsync(
                request(server, "/v1/models/half_plus_two:predict").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [1]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!api.expectedModels.contains("half_plus_two") && System.nanoTime() < giveUpAt) {
            Thread.onSpinWait();
        }
        assertThat(api.expectedPredicts).as("waiting for the busy worker").hasValue(1);
        api.releaseSlow();

        assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(api.expectedPredicts).hasValue(0);
        assertThat(get(server, "/v1/models/half_plus_two").statusCode()).isEqualTo(200);
        assertThat(api.expectedModels).as("status calls are not Predict calls").containsExactly("slow", "half_plus_two");
    }

    @Test
    void closeLetsInFlightRequestsFinishThenStops() throws Exception {
        RestServer server = start();
        int port = server.port();

        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                request(server, "/v1/models/slow:predict").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [4]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> server.close(Duration.ofSeconds(5)));
        Thread.sleep(200);
        assertThat(closing).isNotDone();
        api.releaseSlow();

        HttpResponse<String> answered = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(json(answered.body())).isEqualTo(json("{\"outputs\": [4.0]}"));
        closing.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> new RawHttpConnection(port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() throws IOException {
        RestServer server = start();

        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(("GET /v1/models/half_plus_two HTTP/1.0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() {
        RestServer first = start();

        assertThatThrownBy(() -> start(RestOptions.defaults().withNumThreads(1).withPort(first.port())))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(String.valueOf(first.port()));
    }

    @Test
    void optionsValidateAndDefault() {
        RestOptions defaults = RestOptions.defaults();
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isZero();
        assertThat(defaults.maxBodyBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.withHost(null).host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> defaults.withNumThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Map.of("threads", defaults.numThreads())).containsEntry("threads", RestOptions.defaultNumThreads());
    }
}
