package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST front end's bounds on what one client may hold (RestConnectionLimits), over real sockets: slow and idle
 * clients are closed, connections beyond the limit refused, pipelining clients that do not read stop being read,
 * and none of them keeps other clients from being answered.
 */
class RestConnectionBoundsTest {

    private static final String PREDICT = "/v1/models/half_plus_two:predict";
    private static final Duration SHORT = Duration.ofMillis(500);

    private final FakeServingApi api = new FakeServingApi();
    private final List<RestServer> servers = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        api.releaseSlow();
        for (Socket socket : sockets) {
            socket.close();
        }
        servers.forEach(server -> server.close(Duration.ofSeconds(2)));
    }

    private RestServer start(RestConnectionLimits limits) {
        RestServer server = RestServer.start(api, RestOptions.defaults().withNumThreads(8).withConnectionLimits(limits));
        servers.add(server);
        return server;
    }

    private Socket connect(RestServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        return socket;
    }

    /** A normal client on its own connection: answered, and within a second. */
    private static void assertAnsweredWithinASecond(RestServer server) throws IOException {
        long start = System.nanoTime();
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            RawHttpConnection.Response response = connection.exchange("POST", PREDICT, "{\"inputs\": [2.0]}");
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    /** Everything the server sends until it closes the connection. */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // Closed with unread bytes in its buffer: a reset instead of an orderly end.
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    @Test
    void halfAHeaderIsAnswered408AndClosedAfterTheReadTimeoutWhileOtherClientsAreServed() throws IOException {
        RestServer server = start(RestConnectionLimits.defaults().withTimeouts(Duration.ofSeconds(30), SHORT));
        Socket slow = connect(server);
        long start = System.nanoTime();
        slow.getOutputStream().write(("POST " + PREDICT + " HTTP/1.1\r\nHost: localhost\r\nContent-Le")
                .getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();

        assertAnsweredWithinASecond(server);
        assertAnsweredWithinASecond(server);
        String answer = readUntilClosed(slow);
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").contains("connection: close")
                .contains("Request timeout: request headers not complete within 500 ms (--rest_api_read_timeout_in_ms)");
        assertThat(closedAfter).isBetween(SHORT.minusMillis(50), Duration.ofSeconds(5));
    }

    @Test
    void aBodyThatStallsIsAnswered408AndClosed() throws IOException {
        RestServer server = start(RestConnectionLimits.defaults().withTimeouts(Duration.ofSeconds(30), SHORT));
        Socket slow = connect(server);
        OutputStream out = slow.getOutputStream();
        out.write(("POST " + PREDICT + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"inputs\"")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertAnsweredWithinASecond(server);
        assertThat(readUntilClosed(slow)).startsWith("HTTP/1.1 408").contains("request body stalled");
    }

    @Test
    void aBodyThatKeepsComingIsNotTimedOut() throws Exception {
        RestServer server = start(RestConnectionLimits.defaults().withTimeouts(Duration.ofSeconds(30), SHORT));
        byte[] body = "{\"inputs\": [2.0]}".getBytes(StandardCharsets.US_ASCII);
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(("POST " + PREDICT + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // Slower in total than the read timeout, but never a pause as long.
            for (byte b : body) {
                Thread.sleep(60);
                connection.send(new byte[] {b});
            }
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    @Test
    void idleConnectionsAreClosedButNotWhileTheirAnswerIsPending() throws Exception {
        RestServer server = start(RestConnectionLimits.defaults().withTimeouts(SHORT, SHORT));
        Socket silent = connect(server);
        long start = System.nanoTime();
        assertThat(readUntilClosed(silent)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(SHORT.minusMillis(50), Duration.ofSeconds(5));

        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            assertThat(connection.exchange("POST", PREDICT, "{\"inputs\": [2.0]}").status()).isEqualTo(200);
            // A model call longer than both timeouts: the connection waits for its answer.
            connection.send(RawHttpConnection.request("POST", "/v1/models/slow:predict", "{\"inputs\": [2.0]}"));
            Thread.sleep(3 * SHORT.toMillis());
            api.releaseSlow();
            assertThat(connection.read().status()).isEqualTo(200);
            long idleFrom = System.nanoTime();
            assertThat(connection.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - idleFrom)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndTheirPlaceFreesWhenOneCloses() throws Exception {
        RestServer server = start(RestConnectionLimits.defaults().withMaxConnections(3));
        List<RawHttpConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttpConnection connection = new RawHttpConnection(server.port());
                open.add(connection);
                assertThat(connection.exchange("POST", PREDICT, "{\"inputs\": [2.0]}").status()).isEqualTo(200);
            }
            Socket refused = connect(server);
            assertThat(readUntilClosed(refused)).isEmpty();

            open.remove(0).close();
            Await.until(() -> {
                try (RawHttpConnection again = new RawHttpConnection(server.port())) {
                    return again.exchange("POST", PREDICT, "{\"inputs\": [2.0]}").status() == 200;
                } catch (IOException stillFull) {
                    return false;
                }
            }, Duration.ofSeconds(5));
        } finally {
            for (RawHttpConnection connection : open) {
                connection.close();
            }
        }
    }

    @Test
    void aConnectionIsNotReadWhileItHasTheLimitOfRequestsUnanswered() throws Exception {
        RestServer server = start(RestConnectionLimits.defaults().withMaxPipelinedRequests(4));
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            int count = 50;
            for (int i = 0; i < count; i++) {
                burst.writeBytes(RawHttpConnection.request("POST", "/v1/models/slow:predict", "{\"inputs\": [" + i + "]}"));
            }
            connection.send(burst.toByteArray());
            Await.until(() -> slowCalls() == 4, Duration.ofSeconds(5));
            Thread.sleep(300);
            // Eight request threads are free, yet only four of the fifty requests reached the core.
            assertThat(slowCalls()).isEqualTo(4);
            assertAnsweredWithinASecond(server);

            api.releaseSlow();
            for (int i = 0; i < count; i++) {
                RawHttpConnection.Response response = connection.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).contains(String.valueOf(0.5f * i + 2f));
            }
        }
    }

    @Test
    void aClientThatDoesNotReadItsAnswersStopsBeingReadAndIsClosedAfterTheIdleTimeout() throws Exception {
        RestServer server = start(RestConnectionLimits.defaults().withTimeouts(Duration.ofSeconds(1), SHORT));
        // Answers of about 100 KB: the socket buffers on both sides hold a few dozen at most.
        String body = "{\"inputs\": [" + "1.5, ".repeat(12_000) + "1.5]}";
        byte[] request = RawHttpConnection.request("POST", PREDICT, body);
        int sent = 400;
        Socket greedy = connect(server);
        greedy.setReceiveBufferSize(64 * 1024);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = greedy.getOutputStream();
                for (int i = 0; i < sent; i++) {
                    out.write(request);
                }
            } catch (IOException closedByServer) {
                throw new IllegalStateException(closedByServer);
            }
        });
        Thread.sleep(1500);
        long read = predictCalls();
        assertThat(read).as("requests read from a client that takes no answers").isLessThan(sent / 2);
        assertAnsweredWithinASecond(server);
        // The server gave up on the client: its writes fail once the connection is closed.
        assertThat(writer).failsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void jsonNestedDeeperThan256LevelsIsRefusedBeforeItIsRead() throws IOException {
        RestServer server = start(RestConnectionLimits.defaults());
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            // The body object is level 1: "inputs" may nest 255 levels.
            String fits = "{\"inputs\": " + "[".repeat(255) + "2.0" + "]".repeat(255) + "}";
            RawHttpConnection.Response ok = connection.exchange("POST", PREDICT, fits);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            String deeper = "{\"inputs\": " + "[".repeat(256) + "2.0" + "]".repeat(256) + "}";
            RawHttpConnection.Response refused = connection.exchange("POST", PREDICT, deeper);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("nesting depth").contains("256");
            String deep = "{\"inputs\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
            assertThat(connection.exchange("POST", PREDICT, deep).status()).isEqualTo(400);
        }
    }

    private long slowCalls() {
        return api.specs.stream().map(ModelSpec::name).filter("slow"::equals).count();
    }

    private long predictCalls() {
        return api.specs.stream().map(ModelSpec::name).filter(FakeServingApi.MODEL::equals).count();
    }
}
