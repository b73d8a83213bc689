package dev.servedeck.console.connections;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a remote ServeDeck server's {@code /v1/health} that wants a bearer token (as a server started
 * with {@code --auth_tokens_file} would for its protected paths): 200 with the right token, 401 otherwise.
 */
final class HealthStub implements AutoCloseable {

    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    HealthStub(String token) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/health", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            boolean ok = ("Bearer " + token).equals(authorization);
            byte[] body = (ok ? "{\"status\":\"SERVING\"}" : "{\"error\":\"missing or unknown token\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
