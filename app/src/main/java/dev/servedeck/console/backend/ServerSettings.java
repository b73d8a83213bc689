package dev.servedeck.console.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the console runs its embedded server.
 *
 * @param host the address both front ends bind (127.0.0.1 by default: only this machine can connect)
 * @param restPort the REST port; 0 picks a free one
 * @param grpcPort the gRPC port; 0 picks a free one, -1 does not export gRPC
 * @param batching whether Predict requests are batched (its parameters can then be edited live)
 * @param models what to serve
 * @param requestLogDir where the request log is written (JSON lines, rotated)
 * @param tls TLS on both ports (from the command line only, not remembered between runs); empty for plain text
 */
public record ServerSettings(String host, int restPort, int grpcPort, boolean batching, ModelSource models,
        Path requestLogDir, Optional<TlsSettings> tls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_REST_PORT = 8501;
    public static final int DEFAULT_GRPC_PORT = 8500;
    public static final int NO_GRPC = -1;

    /** Without TLS. */
    public ServerSettings(String host, int restPort, int grpcPort, boolean batching, ModelSource models,
            Path requestLogDir) {
        this(host, restPort, grpcPort, batching, models, requestLogDir, Optional.empty());
    }

    public ServerSettings {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(requestLogDir, "requestLogDir");
        if (host.isBlank()) {
            throw new IllegalArgumentException("The host must not be empty");
        }
        checkPort("REST", restPort);
        if (grpcPort != NO_GRPC) {
            checkPort("gRPC", grpcPort);
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The " + what + " port must be between 0 and 65535, got " + port);
        }
    }

    public ServerSettings withModels(ModelSource newModels) {
        return new ServerSettings(host, restPort, grpcPort, batching, newModels, requestLogDir, tls);
    }

    public ServerSettings withPorts(String newHost, int newRestPort, int newGrpcPort) {
        return new ServerSettings(newHost, newRestPort, newGrpcPort, batching, models, requestLogDir, tls);
    }

    public ServerSettings withBatching(boolean newBatching) {
        return new ServerSettings(host, restPort, grpcPort, newBatching, models, requestLogDir, tls);
    }

    public ServerSettings withTls(Optional<TlsSettings> newTls) {
        return new ServerSettings(host, restPort, grpcPort, batching, models, requestLogDir, newTls);
    }
}
