package dev.servedeck.console.connections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * "Test" on the Connections page, until the admin API gives a real handshake: is the address reachable over
 * TCP, does TLS agree (the CA, the client certificate), and what does {@code GET /v1/health} answer, with the
 * token sent as a bearer token. Each step names what failed, so the operator knows whether to look at the
 * network, the certificates or the server.
 */
public final class ConnectionCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Executor work;

    /** @param work runs the check (it blocks on the network) */
    public ConnectionCheck(Executor work) {
        this.work = work;
    }

    /** Completes with one line of what answered, or fails with what did not. */
    public CompletableFuture<String> check(Connection connection, Optional<String> token,
            Optional<String> clientKeyPem) {
        return CompletableFuture.supplyAsync(() -> run(connection, token, clientKeyPem), work);
    }

    static String run(Connection connection, Optional<String> token, Optional<String> clientKeyPem) {
        URI address = connection.address();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), (int) TIMEOUT.toMillis());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach " + address.getHost() + ":" + address.getPort()
                    + " over TCP: " + e.getMessage(), e);
        }
        // HTTP/1.1: an h2c upgrade attempt on plain HTTP costs a round trip some servers answer only after a timeout.
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        if (connection.usesTls()) {
            client.sslContext(ClientTls.context(connection, clientKeyPem));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/v1/health")).timeout(TIMEOUT).GET();
        token.filter(t -> !t.isBlank()).ifPresent(t -> request.header("Authorization", "Bearer " + t.strip()));
        HttpResponse<String> response;
        try {
            response = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (SSLException e) {
            throw new IllegalStateException("TCP answers, but TLS failed: " + e.getMessage()
                    + " (check the CA certificate, the client certificate and its key)", e);
        } catch (IOException e) {
            throw new IllegalStateException("TCP answers, but HTTP" + (connection.usesTls() ? "S" : "") + " failed: "
                    + e.getMessage() + (connection.usesTls() ? "" : " (does the server want https://?)"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
        String body = response.body().strip();
        String shown = body.length() > 200 ? body.substring(0, 200) + "…" : body;
        String transport = connection.usesTls() ? "TLS verified" : "plain HTTP (no TLS)";
        if (response.statusCode() == 200) {
            return "Reachable, " + transport + "; /v1/health: ready " + shown;
        }
        if (response.statusCode() == 503) {
            return "Reachable, " + transport + "; /v1/health: not ready " + shown;
        }
        throw new IllegalStateException("Reachable, " + transport + ", but /v1/health answered HTTP "
                + response.statusCode() + (shown.isEmpty() ? "" : ": " + shown));
    }
}
