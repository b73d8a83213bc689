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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A real ServeDeck server in this process standing in for a plain tensorflow_model_server: the admin API off
 * ({@code --admin_api=false}, so GetServerInfo answers UNIMPLEMENTED as from TF Serving), Prometheus metrics on
 * TF Serving's path, REST and gRPC on free ports of 127.0.0.1 (the connection names its gRPC port). Serves {@code half_plus_two} (versions 1 and 2, latest 1) from
 * {@code models/half_plus_two}; {@code models/other/1} is there to add.
 */
final class TfServingTestServer implements AutoCloseable {

    static final String METRICS = "/monitoring/prometheus/metrics";

    final ModelServer server;
    final Path models;
    final Path config;
    final int restPort;
    final int grpcPort;

    private TfServingTestServer(ModelServer server, Path models, Path config, int restPort, int grpcPort) {
        this.server = server;
        this.models = models;
        this.config = config;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
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
        ModelServer server = ModelServer.start(new ModelServerOptions(
                        ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ofSeconds(1)),
                        Optional.of(new RestOptions("127.0.0.1", 0, 2, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(4).withAdminApi(adminApi)),
                        Optional.empty(), Duration.ZERO, MonitoringOptions.defaults().withPrometheusPath(METRICS)),
                ModelServerConfigFile.read(config));
        return new TfServingTestServer(server, models, config, server.restPort().orElseThrow(),
                server.grpcPort().orElseThrow());
    }

    /** A connection to this server, naming {@code models} and, when asked, its Prometheus endpoint. */
    Connection connection(List<String> modelNames, boolean prometheus) {
        return new Connection("tfs-" + restPort, "tfs-edge", URI.create("http://127.0.0.1:" + restPort),
                Optional.empty(), Optional.empty(), OptionalInt.of(grpcPort), new TfServingHints(modelNames, prometheus
                        ? Optional.of(URI.create("http://127.0.0.1:" + restPort + METRICS)) : Optional.empty()));
    }

    @Override
    public void close() {
        server.close();
    }
}
