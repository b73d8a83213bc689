package dev.servedeck.console.backend.tfserving;

import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.testing.TestModels;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real ServeDeck server in this process standing in for a plain tensorflow_model_server: the admin API off
 * ({@code --admin_api=false}, so GetServerInfo answers UNIMPLEMENTED as from TF Serving), Prometheus metrics on
 * TF Serving's path, REST and gRPC on 127.0.0.1 with the gRPC port next below the REST port (TF Serving's
 * 8501/8500 pair, which the console assumes). Serves {@code half_plus_two} (versions 1 and 2, latest 1) from
 * {@code models/half_plus_two}; {@code models/other/1} is there to add.
 */
final class TfServingTestServer implements AutoCloseable {

    static final String METRICS = "/monitoring/prometheus/metrics";

    final ModelServer server;
    final Path models;
    final Path config;
    final int restPort;

    private TfServingTestServer(ModelServer server, Path models, Path config, int restPort) {
        this.server = server;
        this.models = models;
        this.config = config;
        this.restPort = restPort;
    }

    static TfServingTestServer start(Path temp, boolean adminApi) throws IOException {
        Path models = temp.resolve("models");
        TestModels.halfPlusTwo(models.resolve("half_plus_two"), 1, 2);
        TestModels.halfPlusTwo(models.resolve("other"), 1);
        Path config = Files.writeString(temp.resolve("models.config"), """
                model_config_list {
                  config { name: "half_plus_two" base_path: "%s" model_platform: "tensorflow" }
                }
                """.formatted(models.resolve("half_plus_two")));
        RuntimeException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int rest = adjacentFreePorts();
            try {
                ModelServer server = ModelServer.start(new ModelServerOptions(
                                ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ofSeconds(1)),
                                Optional.of(new RestOptions("127.0.0.1", rest, 2, Duration.ofSeconds(30), false, 1 << 20)),
                                Optional.of(GrpcOptions.defaults().withPort(rest - 1).withMaxThreads(4)
                                        .withAdminApi(adminApi)),
                                Optional.empty(), Duration.ZERO, MonitoringOptions.defaults().withPrometheusPath(METRICS)),
                        ModelServerConfigFile.read(config));
                return new TfServingTestServer(server, models, config, rest);
            } catch (RuntimeException e) {
                last = e; // another test took one of the ports meanwhile: try another pair
            }
        }
        throw last;
    }

    /** A connection to this server, naming {@code models} and, when asked, its Prometheus endpoint. */
    Connection connection(List<String> modelNames, boolean prometheus) {
        return new Connection("tfs-" + restPort, "tfs-edge", URI.create("http://127.0.0.1:" + restPort),
                Optional.empty(), Optional.empty(), new TfServingHints(modelNames, prometheus
                        ? Optional.of(URI.create("http://127.0.0.1:" + restPort + METRICS)) : Optional.empty()));
    }

    /** A REST port whose neighbour below is free too. */
    private static int adjacentFreePorts() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int rest = ThreadLocalRandom.current().nextInt(20_001, 60_000);
            try (ServerSocket a = new ServerSocket(rest, 1, InetAddress.getLoopbackAddress());
                    ServerSocket b = new ServerSocket(rest - 1, 1, InetAddress.getLoopbackAddress())) {
                return rest;
            } catch (IOException busy) {
                // next
            }
        }
        throw new UncheckedIOException(new IOException("no two adjacent free ports found"));
    }

    @Override
    public void close() {
        server.close();
    }
}
