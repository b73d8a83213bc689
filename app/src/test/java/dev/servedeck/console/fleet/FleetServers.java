package dev.servedeck.console.fleet;

import dev.servedeck.console.backend.ActiveBackend;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.connections.BackendFactory;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.RemoteBackends;
import dev.servedeck.console.testing.RemoteTestServer;
import dev.servedeck.console.testing.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Three real servers on free ports of 127.0.0.1, each its own ServerCore with real TensorFlow, for the Fleet tests:
 * the console's embedded one serving {@code alpha}; {@code edge-b} serving {@code bravo} (versions 1 and 2) and
 * {@code broken}, whose only version fails to load; {@code edge-c} serving {@code charlie}. Until the remote backend
 * lands, edge-b and edge-c stand for remote servers behind the same {@code ConsoleBackend} port; a {@code gone}
 * connection has no server at all, and the factory cannot open it.
 */
final class FleetServers implements AutoCloseable {

    final EmbeddedBackend embedded = new EmbeddedBackend();
    final EmbeddedBackend b = new EmbeddedBackend();
    final EmbeddedBackend c = new EmbeddedBackend();
    final Connection edgeB;
    final Connection edgeC;
    final Connection gone = new Connection("gone", "gone", URI.create("http://127.0.0.1:9"), Optional.empty(),
            Optional.empty());

    FleetServers(Path dir) throws Exception {
        CompletableFuture.allOf(
                embedded.start(settings(dir, "embedded", config(dir, "embedded", "alpha", TestModels.halfPlusTwo(
                        dir.resolve("alpha"), 1)))),
                b.start(settings(dir, "b", config(dir, "b", "bravo", TestModels.halfPlusTwo(dir.resolve("bravo"), 1, 2),
                        "broken", brokenModel(dir.resolve("broken"))))),
                c.start(settings(dir, "c", config(dir, "c", "charlie", TestModels.halfPlusTwo(
                        dir.resolve("charlie"), 1))))).get(2, TimeUnit.MINUTES);
        for (EmbeddedBackend server : List.of(embedded, b, c)) {
            if (!server.status().running()) {
                throw new IllegalStateException("A fleet test server did not start: " + server.status().message());
            }
        }
        edgeB = new Connection("edge-b-id", "edge-b", URI.create(b.restBaseUrl().orElseThrow()), Optional.empty(),
                Optional.empty());
        edgeC = new Connection("edge-c-id", "edge-c", URI.create(c.restBaseUrl().orElseThrow()), Optional.empty(),
                Optional.empty());
    }

    /** A headless server in another process (TLS, a token), managed through the real remote backend. */
    private Connection remote;

    /** Adds {@code server} (started) as one more connection of the fleet, opened as the console opens it. */
    FleetServers withRemote(RemoteTestServer server) {
        this.remote = server.connection(); // once: each call names a new connection
        return this;
    }

    Optional<Connection> remote() {
        return Optional.ofNullable(remote);
    }

    /** Saves edge-b, edge-c, gone and the remote server (if any) as the console's connections. */
    void saveConnections(ConnectionStore store) {
        store.save(edgeB);
        store.save(edgeC);
        store.save(gone);
        if (remote != null) {
            store.save(remote);
        }
    }

    /**
     * Each connection's server; what the factory hands out does not own the server (closing it only drops its
     * subscriptions), as the test closes the servers itself.
     */
    BackendFactory factory() {
        return connection -> {
            if (connection.isEmbedded()) {
                return embedded; // the console's own: never closed by the console's backends
            }
            if (connection.equals(edgeB)) {
                return new ActiveBackend(b);
            }
            if (connection.equals(edgeC)) {
                return new ActiveBackend(c);
            }
            if (connection.equals(remote)) {
                // The application's own choice of backend for a server in another process (its admin API answers).
                return RemoteBackends.open(connection, Optional.of(RemoteTestServer.ADMIN_TOKEN), Optional.empty());
            }
            throw new IllegalStateException("nothing listens at " + connection.address());
        };
    }

    /** Sends {@code count} good predictions to {@code server}'s REST API. */
    static void predict(ConsoleBackend server, String model, int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.restBaseUrl()
                    .orElseThrow() + "/v1/models/" + model + ":predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1.0]]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(answer.body());
            }
        }
    }

    private static ServerSettings settings(Path dir, String name, Path config) {
        return new ServerSettings("127.0.0.1", 0, 0, false, new ModelSource.ConfigFile(config),
                dir.resolve("logs-" + name));
    }

    private static Path config(Path dir, String server, Object... namesAndPaths) throws IOException {
        StringBuilder text = new StringBuilder("model_config_list {\n");
        for (int i = 0; i < namesAndPaths.length; i += 2) {
            text.append("  config { name: \"").append(namesAndPaths[i]).append("\" base_path: \"")
                    .append(((Path) namesAndPaths[i + 1]).toAbsolutePath()).append("\" model_platform: \"tensorflow\""
                    + " model_version_policy { all {} } }\n");
        }
        Path file = dir.resolve(server + ".config");
        Files.writeString(file, text.append("}\n"));
        return file;
    }

    /**
     * A version whose variables are zeroed (the right size, so it looks complete): its load fails, and stays failed
     * (the console's server does not retry loads).
     */
    private static Path brokenModel(Path base) {
        TestModels.halfPlusTwo(base, 1);
        try (var shards = Files.list(base.resolve("1").resolve("variables"))) {
            for (Path shard : shards.filter(file -> file.getFileName().toString().startsWith("variables.data"))
                    .toList()) {
                Files.write(shard, new byte[(int) Files.size(shard)]);
                Files.setLastModifiedTime(shard, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base;
    }

    @Override
    public void close() {
        c.close();
        b.close();
        embedded.close();
    }
}
