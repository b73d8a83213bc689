package dev.servedeck.core.server;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.config.ModelConfigFileWatcher;
import dev.servedeck.core.grpc.GrpcServer;
import dev.servedeck.core.rest.RestServer;
import dev.servedeck.proto.config.ModelServerConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving core with its front ends, started in dependency order and closed in reverse: first the
 * front ends stop accepting and drain in-flight requests, then the config watcher stops, then the core
 * unloads every model. The headless server and the console both run one of these.
 */
public final class ModelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

    private final ServerCore core;
    private final Optional<RestServer> rest;
    private final Optional<GrpcServer> grpc;
    private final Optional<ModelConfigFileWatcher> configWatcher;

    private ModelServer(ServerCore core, Optional<RestServer> rest, Optional<GrpcServer> grpc,
            Optional<ModelConfigFileWatcher> configWatcher) {
        this.core = core;
        this.rest = rest;
        this.grpc = grpc;
        this.configWatcher = configWatcher;
    }

    /**
     * Loads the models of {@code config} (waiting for them, as tensorflow_model_server does before it
     * listens), then opens the front ends.
     */
    public static ModelServer start(ModelServerOptions options, ModelServerConfig config) {
        ServerCore core = ServerCore.start(options.core(), config);
        Optional<ModelConfigFileWatcher> watcher = Optional.empty();
        Optional<RestServer> rest = Optional.empty();
        try {
            if (options.configFile().isPresent() && !options.configFilePollWait().isZero()
                    && !options.configFilePollWait().isNegative()) {
                watcher = Optional.of(new ModelConfigFileWatcher(options.configFile().get(),
                        options.configFilePollWait(), core::reloadConfig));
            }
            rest = options.rest().map(restOptions -> RestServer.start(core, restOptions));
            rest.ifPresent(server -> LOG.info("Exporting HTTP/REST API at {}:{}", options.rest().get().host(),
                    server.port()));
            Optional<GrpcServer> grpc = options.grpc().map(grpcOptions -> GrpcServer.start(core, grpcOptions));
            grpc.ifPresent(server -> LOG.info("Running gRPC ModelServer at {}:{}", options.grpc().get().host(),
                    server.port()));
            return new ModelServer(core, rest, grpc, watcher);
        } catch (RuntimeException e) {
            rest.ifPresent(RestServer::close);
            watcher.ifPresent(ModelConfigFileWatcher::close);
            core.close();
            throw e;
        }
    }

    public ServerCore core() {
        return core;
    }

    /** The bound REST port (useful when started on port 0). */
    public Optional<Integer> restPort() {
        return rest.map(RestServer::port);
    }

    /** The bound gRPC port (useful when started on port 0). */
    public Optional<Integer> grpcPort() {
        return grpc.map(GrpcServer::port);
    }

    @Override
    public void close() {
        LOG.info("Shutting down: draining in-flight requests");
        // Reverse start order: gRPC, then REST; both front ends drain before the core unloads anything.
        grpc.ifPresent(GrpcServer::close);
        rest.ifPresent(RestServer::close);
        configWatcher.ifPresent(ModelConfigFileWatcher::close);
        core.close();
        LOG.info("Server stopped");
    }
}
