package dev.servedeck.core.grpc;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.grpc.admin.AdminServiceImpl;
import dev.servedeck.core.grpc.admin.AdminSources;
import dev.servedeck.core.tls.ServerTls;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.core.security.Authorizer;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import dev.servedeck.core.oip.ModelRepository;
import dev.servedeck.core.oip.StatisticsExtension;
import dev.servedeck.core.oip.OpenInference;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorFlow Serving's gRPC API ({@code tensorflow.serving.PredictionService} and {@code ModelService}) plus
 * the standard health service and server reflection, reaching models only through {@link ServerCore}.
 *
 * <p>Threads: grpc-java's shared Netty event loops (named {@code grpc-default-*}, daemons) only frame and
 * route; the calls into the core run on a bounded executor of {@link GrpcOptions#maxThreads()} named daemon
 * threads. Daemons on purpose: the owner decides how long the process lives and calls {@link #close()}.
 */
public final class GrpcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);

    /** How long {@link #close()} lets in-flight calls finish. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /** Calls beyond this many per executor thread are refused with RESOURCE_EXHAUSTED at once. */
    private static final int CALLS_IN_FLIGHT_PER_THREAD = 256;

    private final Server server;
    private final ForkJoinPool executor;
    private final ModelHealth health;
    private final Optional<AdminServiceImpl> admin;
    private final String endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GrpcServer(Server server, ForkJoinPool executor, ModelHealth health, Optional<AdminServiceImpl> admin,
            String endpoint) {
        this.server = server;
        this.admin = admin;
        this.executor = executor;
        this.health = health;
        this.endpoint = endpoint;
    }

    /**
     * Binds a Netty gRPC server and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use, unknown host)
     * @throws IllegalArgumentException for a channel argument with an invalid value
     */
    public static GrpcServer start(ServerCore core, GrpcOptions options) {
        return start(core, core, options);
    }

    /**
     * As {@link #start(ServerCore, GrpcOptions)}, with inference calls going through {@code api} (the core
     * wrapped by monitoring); model management and health still talk to {@code core}.
     */
    public static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options) {
        return start(api, core, options, Optional.empty(), Authorizer.disabled());
    }

    /**
     * As {@link #start(ServingApi, ServerCore, GrpcOptions)}, over TLS when {@code tls} is given, as
     * tensorflow_model_server with {@code --ssl_config_file}: every service, health and reflection included.
     */
    public static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options, Optional<ServerTls> tls) {
        return start(api, core, options, tls, Authorizer.disabled());
    }

    /**
     * As {@link #start(ServingApi, ServerCore, GrpcOptions, Optional)}, to the callers {@code authorizer} lets in
     * (health and reflection stay open).
     */
    public static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options, Optional<ServerTls> tls,
            Authorizer authorizer) {
        return start(api, core, options, tls, authorizer, Optional.empty());
    }

    /**
     * As {@link #start(ServingApi, ServerCore, GrpcOptions, Optional, Authorizer)}, with ServeDeck's admin API
     * ({@code servedeck.admin.v1.AdminService}) beside TF Serving's services when {@code admin} is given.
     */
    public static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options, Optional<ServerTls> tls,
            Authorizer authorizer, Optional<AdminSources> admin) {
        return start(api, core, options, tls, authorizer, admin, Optional.empty());
    }

    /**
     * As {@link #start(ServingApi, ServerCore, GrpcOptions, Optional, Authorizer, Optional)}, serving the Open
     * Inference Protocol's model repository extension over {@code repository} (the REST front end's too, so that
     * a model unloaded through one protocol can be loaded back through the other); without one, over a repository
     * of its own on {@code core}.
     */
    public static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options, Optional<ServerTls> tls,
            Authorizer authorizer, Optional<AdminSources> admin, Optional<ModelRepository> repository) {
        return start(api, core, options, tls, authorizer, admin, repository, Optional.empty());
    }

    /**
     * As {@link #start(ServingApi, ServerCore, GrpcOptions, Optional, Authorizer, Optional, Optional)}, with the
     * statistics extension over {@code statistics} when given (without, {@code ModelStatistics} answers
     * UNIMPLEMENTED).
     */
    public static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options, Optional<ServerTls> tls,
            Authorizer authorizer, Optional<AdminSources> admin, Optional<ModelRepository> repository,
            Optional<StatisticsExtension> statistics) {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(options.host(), options.port()))
                .maxInboundMessageSize(options.maxMessageBytes());
        tls.ifPresent(server -> builder.sslContext(server.grpcContext()));
        GrpcConnectionDefaults.applyTo(builder);
        // After the size and defaults above, so that the channel arguments win, as in tensorflow_model_server.
        ChannelArguments.apply(options.channelArguments(), builder);
        return start(api, core, options, authorizer, admin, repository, statistics, builder,
                options.host() + ":" + options.port());
    }

    /**
     * The same services on an in-process transport (no sockets): for tests and for a console embedding the
     * server. Clients connect with {@code InProcessChannelBuilder.forName(name)}.
     */
    public static GrpcServer startInProcess(ServerCore core, String name, GrpcOptions options) {
        return startInProcess(core, core, name, options);
    }

    /** In-process, with inference calls going through {@code api} (tests wrap the core to hold calls in flight). */
    static GrpcServer startInProcess(ServingApi api, ServerCore core, String name, GrpcOptions options) {
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name)
                .maxInboundMessageSize(options.maxMessageBytes());
        return start(api, core, options, Authorizer.disabled(), Optional.empty(), Optional.empty(), Optional.empty(),
                builder, "in-process:" + name);
    }

    private static GrpcServer start(ServingApi api, ServerCore core, GrpcOptions options, Authorizer authorizer,
            Optional<AdminSources> adminSources, Optional<ModelRepository> repository,
            Optional<StatisticsExtension> statistics, ServerBuilder<?> builder, String requested) {
        // Bounded in threads; the queue needs no bound of its own because InFlightCallLimit refuses calls
        // beyond maxThreads * CALLS_IN_FLIGHT_PER_THREAD before they do any work. The two TF Serving services
        // are invoked directly on the transport's event loop and hand each call to this executor in one hop
        // (UnaryCalls); health and reflection run on it through grpc-java's executor. A ForkJoinPool in async
        // mode: its work-stealing queues hand calls over without the single lock of a LinkedBlockingQueue.
        ForkJoinPool executor = new ForkJoinPool(options.maxThreads(), namedWorkers("servedeck-grpc-call"), null, true);
        ModelHealth health = new ModelHealth(core.states(), core::health);
        InFlightCallLimit limit = new InFlightCallLimit(options.maxThreads() * CALLS_IN_FLIGHT_PER_THREAD);
        Optional<AdminServiceImpl> admin = adminSources.map(sources -> new AdminServiceImpl(sources, executor));
        // The admin service's unary calls hand themselves to the executor as TF Serving's do; its streams only
        // subscribe on the transport and are fed from their own thread.
        builder.directExecutor()
                .intercept(new AwaitingMessageLimit(options.maxCallsAwaitingMessage()))
                .callExecutor(new ServiceCallExecutors(executor, Set.of(
                        PredictionServiceGrpc.SERVICE_NAME, ModelServiceGrpc.SERVICE_NAME,
                        GRPCInferenceServiceGrpc.SERVICE_NAME, AdminServiceGrpc.SERVICE_NAME)))
                .addService(RequestMessageParsing.wrap(
                        ServerInterceptors.intercept(new PredictionServiceImpl(api, executor), limit)))
                .addService(RequestMessageParsing.wrap(
                        ServerInterceptors.intercept(new ModelServiceImpl(core, executor), limit)))
                // The Open Inference Protocol beside TF Serving's API: same core, same limit, same tokens.
                .addService(RequestMessageParsing.wrap(ServerInterceptors.intercept(new OpenInferenceServiceImpl(
                        new OpenInference(api, core::health, Optional.of(repository.orElseGet(() ->
                                new ModelRepository(core.administration(), core.states()))), statistics),
                        executor), limit)))
                .addService(health.service())
                .addService(ProtoReflectionServiceV1.newInstance());
        admin.ifPresent(service -> builder.addService(RequestMessageParsing.wrap(
                ServerInterceptors.intercept(service, limit))));
        addLegacyReflection(builder);
        if (authorizer.enabled()) {
            // On every service, ahead of the per-service in-flight limit: a refused call takes no slot.
            builder.intercept(new BearerTokenInterceptor(authorizer));
        }
        try {
            Server server = builder.build().start();
            String endpoint = server.getPort() >= 0 ? options.host() + ":" + server.getPort() : requested;
            LOG.info("gRPC API listening on {} ({} call threads, messages up to {} bytes{})", endpoint,
                    options.maxThreads(), options.maxMessageBytes(),
                    authorizer.enabled() ? ", bearer tokens required" : "");
            return new GrpcServer(server, executor, health, admin, endpoint);
        } catch (IOException e) {
            admin.ifPresent(AdminServiceImpl::close);
            health.close();
            executor.shutdownNow();
            throw new UncheckedIOException("Cannot serve gRPC on " + requested, e);
        } catch (RuntimeException e) {
            admin.ifPresent(AdminServiceImpl::close);
            health.close();
            executor.shutdownNow();
            throw e;
        }
    }

    /** grpcurl before 1.9, Postman and other tools still speak only the v1alpha reflection protocol. */
    @SuppressWarnings("deprecation")
    private static void addLegacyReflection(ServerBuilder<?> builder) {
        builder.addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance());
    }

    /** Named worker threads (daemon, as every ForkJoinPool worker is). */
    private static ForkJoinPool.ForkJoinWorkerThreadFactory namedWorkers(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName(prefix + "-" + counter.incrementAndGet());
            return thread;
        };
    }

    /** The services registered (for the check that each method has its API operation). */
    List<ServerServiceDefinition> services() {
        return server.getServices();
    }

    /** The bound address (for the exposure warning); empty for an in-process server. */
    public Optional<InetSocketAddress> address() {
        return server.getListenSockets().stream()
                .filter(InetSocketAddress.class::isInstance)
                .map(InetSocketAddress.class::cast)
                .findFirst();
    }

    /** The bound port (the chosen one when the options asked for port 0); -1 for an in-process server. */
    public int port() {
        return server.getPort();
    }

    /** Stops gracefully, giving in-flight calls up to {@link #DEFAULT_GRACE} to finish. */
    @Override
    public void close() {
        close(DEFAULT_GRACE);
    }

    /**
     * Health turns NOT_SERVING, new calls are refused, calls in flight finish and their answers go out
     * (waiting at most {@code grace}); calls still running then are cancelled. Then the threads stop.
     */
    public void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.enterShutdown();
        server.shutdown();
        // Admin streams never end on their own: end them, or the graceful shutdown would wait out its grace.
        admin.ifPresent(AdminServiceImpl::endStreams);
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("gRPC calls still running after {} ms; cancelling them", grace.toMillis());
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
            executor.shutdown();
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            admin.ifPresent(AdminServiceImpl::close);
            health.close();
        }
        LOG.info("gRPC API on {} stopped", endpoint);
    }
}
