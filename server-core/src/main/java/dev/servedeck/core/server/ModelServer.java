package dev.servedeck.core.server;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.config.ModelConfigFileWatcher;
import dev.servedeck.core.events.ServerEventLog;
import dev.servedeck.core.grpc.GrpcServer;
import dev.servedeck.core.grpc.admin.AdminSources;
import dev.servedeck.core.grpc.admin.ServerFacts;
import dev.servedeck.core.tensorflow.RuntimeVersions;
import dev.servedeck.core.metrics.LiveStatistics;
import dev.servedeck.core.metrics.Monitoring;
import dev.servedeck.core.requestlog.RequestLog;
import dev.servedeck.core.rest.MonitoringRoutes;
import dev.servedeck.core.oip.ModelRepository;
import dev.servedeck.core.oip.StatisticsExtension;
import dev.servedeck.core.rest.RestServer;
import dev.servedeck.core.security.Authorizer;
import dev.servedeck.core.security.NetworkExposureWarning;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.JavaCppPhysicalMemoryCheck;
import dev.servedeck.core.tls.ServerTls;
import dev.servedeck.core.warmup.RecentRequests;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving core with its front ends, started in dependency order and closed in reverse: first the
 * front ends stop accepting and drain in-flight requests, then the config watcher stops, then the core
 * unloads every model. The headless server and the console both run one of these.
 */
public final class ModelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

    /** Admin API streams (statistics, events, request log tails) open at once. */
    private static final int ADMIN_STREAMS = 32;

    private final ServerCore core;
    private final Monitoring monitoring;
    private final Optional<RestServer> rest;
    private final Optional<GrpcServer> grpc;
    private final Optional<ModelConfigFileWatcher> configWatcher;
    private final RecentRequests recentRequests;
    private final Optional<ServerTls> tls;
    private final Authorizer authorizer;
    private final Optional<NetworkExposureWarning> exposureWarning;

    private ModelServer(ServerCore core, Monitoring monitoring, RecentRequests recentRequests, Optional<RestServer> rest,
            Optional<GrpcServer> grpc, Optional<ModelConfigFileWatcher> configWatcher, Optional<ServerTls> tls,
            Authorizer authorizer, Optional<NetworkExposureWarning> exposureWarning) {
        this.tls = tls;
        this.core = core;
        this.monitoring = monitoring;
        this.recentRequests = recentRequests;
        this.rest = rest;
        this.grpc = grpc;
        this.configWatcher = configWatcher;
        this.authorizer = authorizer;
        this.exposureWarning = exposureWarning;
    }

    /**
     * Loads the models of {@code config} (waiting for them, as tensorflow_model_server does before it
     * listens), then opens the front ends.
     */
    public static ModelServer start(ModelServerOptions options, ModelServerConfig config) {
        Instant startedAt = Instant.now();
        if (JavaCppPhysicalMemoryCheck.isOn()) {
            LOG.warn("JavaCPP checks physical memory on every native allocation (limit {} MiB), under a JVM-wide lock;"
                    + " requests will be much slower. Start the JVM with -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
                    + " (ServeDeck's own launchers do)", JavaCppPhysicalMemoryCheck.limitBytes() >> 20);
        }
        // First: a broken SSL config or token file stops the start before any model loads, as a flag error would.
        Optional<ServerTls> tls = options.tls().map(ServerTls::start);
        Authorizer authorizer;
        try {
            authorizer = Authorizer.from(options.auth());
        } catch (RuntimeException e) {
            tls.ifPresent(ServerTls::close);
            throw e;
        }
        if (!options.core().modelBasePathAllowlist().allowsAny()) {
            LOG.info("Model base paths limited to {} (--model_base_path_allowlist)",
                    options.core().modelBasePathAllowlist());
        }
        // The config being applied, for monitoring to find model paths before the core has applied it.
        AtomicReference<ModelServerConfig> applying = new AtomicReference<>(config);
        Monitoring monitoring;
        ServerCore core;
        try {
            monitoring = startMonitoring(options, applying);
        } catch (RuntimeException e) {
            tls.ifPresent(ServerTls::close);
            authorizer.close();
            throw e;
        }
        try {
            core = ServerCore.start(options.core(), config, monitoring.instrumentation());
        } catch (RuntimeException e) {
            monitoring.close();
            tls.ifPresent(ServerTls::close);
            authorizer.close();
            throw e;
        }
        monitoring.attach(core);
        // Both front ends' calls pass the recorder (off until asked for) on their way from metering to the core.
        RecentRequests recentRequests = new RecentRequests();
        ServingApi recorded = recentRequests.recordingFrom(core);
        Optional<ModelConfigFileWatcher> watcher = Optional.empty();
        Optional<RestServer> rest = Optional.empty();
        Optional<GrpcServer> grpc = Optional.empty();
        try {
            if (options.configFile().isPresent() && !options.configFilePollWait().isZero()
                    && !options.configFilePollWait().isNegative()) {
                watcher = Optional.of(new ModelConfigFileWatcher(options.configFile().get(),
                        options.configFilePollWait(), newConfig -> {
                            applying.set(newConfig);
                            // Through the administration, so a file poll never lands between the read and the
                            // write of another admin operation.
                            core.administration().replaceConfig(newConfig);
                        }));
            }
            MonitoringRoutes routes = new MonitoringRoutes(options.monitoring().prometheusPath(),
                    Optional.of(monitoring.exposition()), Optional.of(core::health));
            // One repository for both protocols: what one unloads, the other can load back.
            Optional<ModelRepository> repository = Optional.of(
                    new ModelRepository(core.administration(), core.states()));
            // Statistics read what monitoring recorded; a server that does not measure does not serve them.
            Optional<StatisticsExtension> statistics = monitoring.inferenceStatistics()
                    .map(measured -> new StatisticsExtension(measured::of, core.states()));
            // gRPC first, as TF Serving does: REST carries the health and readiness paths, so once REST answers, a
            // client (or a Kubernetes probe) can count on the gRPC port too. REST first left a window where REST said
            // ready and gRPC connections were refused (HostileClientsTest caught it under load).
            grpc = options.grpc().map(grpcOptions ->
                    GrpcServer.start(monitoring.meter(recorded, Monitoring.GRPC), core, grpcOptions, tls, authorizer,
                            // --admin_api=false: no event log is kept for a service nobody can call.
                            grpcOptions.adminApi() ? Optional.of(adminSources(options, core, monitoring, startedAt))
                                    : Optional.empty(),
                            repository, statistics));
            options.grpc().filter(grpcOptions -> !grpcOptions.adminApi()).ifPresent(grpcOptions ->
                    LOG.info("The admin API is off (--admin_api=false): the gRPC port serves TF Serving's services"
                            + " (and the Open Inference Protocol) only"));
            grpc.ifPresent(server -> LOG.info("Running gRPC ModelServer at {}:{}", options.grpc().get().host(),
                    server.port()));
            rest = options.rest().map(restOptions ->
                    RestServer.start(monitoring.meter(recorded, Monitoring.REST), restOptions, routes, tls,
                            authorizer, repository, statistics));
            rest.ifPresent(server -> LOG.info("Exporting HTTP/REST API at {}:{}", options.rest().get().host(),
                    server.port()));
            if (rest.isPresent()) {
                options.monitoring().prometheusPath().ifPresent(path ->
                        LOG.info("Serving Prometheus metrics at {} on the REST port", path));
            } else if (options.monitoring().prometheusPath().isPresent()) {
                LOG.warn("Prometheus metrics are enabled but the REST API is not exported (--rest_api_port): "
                        + "nothing serves them");
            }
            Optional<NetworkExposureWarning> exposureWarning = NetworkExposureWarning.startIfExposed(
                    boundAddresses(rest, grpc), authorizer, options.auth().exposureWarningInterval());
            return new ModelServer(core, monitoring, recentRequests, rest, grpc, watcher, tls, authorizer,
                    exposureWarning);
        } catch (RuntimeException e) {
            rest.ifPresent(RestServer::close);
            grpc.ifPresent(GrpcServer::close);
            watcher.ifPresent(ModelConfigFileWatcher::close);
            core.close();
            monitoring.close();
            tls.ifPresent(ServerTls::close);
            authorizer.close();
            throw e;
        }
    }

    /**
     * What the admin API reads and changes. The event log starts with the server's first config applied; the
     * versions it loaded are in the model list, not in the events.
     */
    private static AdminSources adminSources(ModelServerOptions options, ServerCore core, Monitoring monitoring,
            Instant startedAt) {
        ServerEventLog events = new ServerEventLog(ServerEventLog.DEFAULT_RETAINED, Clock.systemUTC());
        // The two feeds of the event log; they end with the core.
        core.states().subscribe(events);
        core.subscribe(events);
        boolean measured = options.monitoring().metricsEnabled();
        ServerFacts facts = new ServerFacts(servedeckVersion(), RuntimeVersions.tensorflow(),
                RuntimeVersions.tensorflowJava(), startedAt, options.commandLine(), UUID.randomUUID().toString());
        return new AdminSources(core, new AdministeredModelOperations(core.administration()),
                core.states()::all,
                measured ? Optional.of(monitoring.statistics()::snapshot) : Optional.empty(),
                options.monitoring().statistics().resolution(), events, monitoring.requestLog(), facts,
                ADMIN_STREAMS);
    }

    private static String servedeckVersion() {
        String version = ModelServer.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private static Map<String, InetSocketAddress> boundAddresses(Optional<RestServer> rest, Optional<GrpcServer> grpc) {
        Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
        rest.ifPresent(server -> bound.put("the REST API", server.address()));
        grpc.flatMap(GrpcServer::address).ifPresent(address -> bound.put("the gRPC API", address));
        return bound;
    }

    private static Monitoring startMonitoring(ModelServerOptions options, AtomicReference<ModelServerConfig> applying) {
        try {
            return Monitoring.start(options.monitoring(), applying::get);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot open the request log: " + e.getMessage());
        }
    }

    public ServerCore core() {
        return core;
    }

    /** Metrics, live statistics and the request log of this server; also how a further front end is metered. */
    public Monitoring monitoring() {
        return monitoring;
    }

    /** Live statistics for the console: poll {@link LiveStatistics#snapshot()} as often as needed. */
    public LiveStatistics statistics() {
        return monitoring.statistics();
    }

    /** The sampled request log, for a live tail (absent with metrics disabled). */
    public Optional<RequestLog> requestLog() {
        return monitoring.requestLog();
    }

    /**
     * The latest successful requests of each model, for writing warmup files; records nothing until
     * {@link RecentRequests#setRecording switched on}.
     */
    public RecentRequests recentRequests() {
        return recentRequests;
    }

    /** TLS of both front ends, when {@code --ssl_config_file} asked for it: its credentials in force. */
    public Optional<ServerTls> tls() {
        return tls;
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
        // Reverse start order: REST (its health path stops answering first), then gRPC; both front ends drain
        // before the core unloads anything.
        rest.ifPresent(RestServer::close);
        grpc.ifPresent(GrpcServer::close);
        configWatcher.ifPresent(ModelConfigFileWatcher::close);
        tls.ifPresent(ServerTls::close);
        exposureWarning.ifPresent(NetworkExposureWarning::close);
        authorizer.close();
        core.close();
        monitoring.close();
        LOG.info("Server stopped");
    }
}
