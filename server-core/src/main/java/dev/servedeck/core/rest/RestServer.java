package dev.servedeck.core.rest;

import dev.servedeck.core.ServingApi;
import dev.servedeck.core.tls.ServerTls;
import dev.servedeck.core.security.Authorizer;
import com.fasterxml.jackson.core.JsonFactory;
import dev.servedeck.core.ServerHealth;
import dev.servedeck.core.oip.ModelRepository;
import dev.servedeck.core.oip.StatisticsExtension;
import dev.servedeck.core.oip.OpenInference;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorFlow Serving's REST API ({@code /v1/models/...}) over Netty, reaching models only through
 * {@link ServingApi}.
 *
 * <p>Threads: one acceptor, a few event loops that only parse HTTP and route, and a bounded executor of
 * {@link RestOptions#numThreads()} that runs the calls into the core. All are daemon threads on purpose: the
 * server's owner (ServerCore, the main entry point, the console) decides how long the process lives and
 * calls {@link #close()}; a forgotten server must not keep a JVM from exiting.
 */
public final class RestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    /** How long {@link #close()} lets in-flight requests finish. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /** Requests beyond this many waiting per executor thread are refused with 429 at once... */
    private static final int QUEUED_REQUESTS_PER_THREAD = 256;

    /** ...but never fewer than this many in all, however few the threads (one per core gives the shortest tail). */
    private static final int MIN_QUEUED_REQUESTS = 2048;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup eventLoops;
    private final ThreadPoolExecutor executor;
    private final RestDispatcher dispatcher;
    private final Channel serverChannel;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RestServer(EventLoopGroup acceptor, EventLoopGroup eventLoops, ThreadPoolExecutor executor,
            RestDispatcher dispatcher, Channel serverChannel) {
        this.acceptor = acceptor;
        this.eventLoops = eventLoops;
        this.executor = executor;
        this.dispatcher = dispatcher;
        this.serverChannel = serverChannel;
        this.address = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use, unknown host)
     */
    public static RestServer start(ServingApi api, RestOptions options) {
        return start(api, options, MonitoringRoutes.NONE);
    }

    /**
     * Binds and starts serving the model API and the monitoring paths.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use, unknown host)
     */
    public static RestServer start(ServingApi api, RestOptions options, MonitoringRoutes monitoring) {
        return start(api, options, monitoring, Optional.empty(), Authorizer.disabled());
    }

    /**
     * Binds and starts serving the model API and the monitoring paths, over TLS when {@code tls} is given (every
     * path then, health and metrics included), to the callers {@code authorizer} lets in.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use, unknown host)
     */
    public static RestServer start(ServingApi api, RestOptions options, MonitoringRoutes monitoring,
            Optional<ServerTls> tls, Authorizer authorizer) {
        return start(api, options, monitoring, tls, authorizer, Optional.empty());
    }

    /**
     * As {@link #start(ServingApi, RestOptions, MonitoringRoutes, Optional, Authorizer)}, with the Open Inference
     * Protocol's model repository extension over {@code repository} when given.
     */
    public static RestServer start(ServingApi api, RestOptions options, MonitoringRoutes monitoring,
            Optional<ServerTls> tls, Authorizer authorizer, Optional<ModelRepository> repository) {
        return start(api, options, monitoring, tls, authorizer, repository, Optional.empty());
    }

    /**
     * As {@link #start(ServingApi, RestOptions, MonitoringRoutes, Optional, Authorizer, Optional)}, with the
     * statistics extension over {@code statistics} when given.
     */
    public static RestServer start(ServingApi api, RestOptions options, MonitoringRoutes monitoring,
            Optional<ServerTls> tls, Authorizer authorizer, Optional<ModelRepository> repository,
            Optional<StatisticsExtension> statistics) {
        RequestGates gates = RequestGates.of(options, monitoring, authorizer);
        NettyTransport transport = NettyTransport.detect();
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("servedeck-rest-accept", true), transport.ioHandlers());
        EventLoopGroup eventLoops = new MultiThreadIoEventLoopGroup(eventLoopCount(),
                new DefaultThreadFactory("servedeck-rest-io", true), transport.ioHandlers());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(options.numThreads(), options.numThreads(),
                0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(Math.max(MIN_QUEUED_REQUESTS, options.numThreads() * QUEUED_REQUESTS_PER_THREAD)),
                new DefaultThreadFactory("servedeck-rest-request", true));
        JsonFactory json = RestJsonFactory.create(options.maxBodyBytes());
        // Without a health source (tests of the REST layer alone) the protocol's readiness is that of a server with
        // nothing configured: ready.
        OpenInference protocol = new OpenInference(api, monitoring.health().orElse(() -> ServerHealth.READY),
                repository, statistics);
        RestDispatcher dispatcher = new RestDispatcher(new RestApiHandler(api, json),
                new OpenInferenceRestHandler(protocol, new JsonResponses(json), new OpenInferenceJsonReader(json),
                        new RepositoryRequestJsonReader(json)),
                monitoring, new MonitoringHandler(monitoring, json), executor, options.timeout(), options.maxBodyBytes());
        try {
            Channel channel = new ServerBootstrap()
                    .group(acceptor, eventLoops)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .handler(new OpenConnectionLimit(options.connectionLimits().maxConnections()))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            tls.ifPresent(server -> HttpsOnlyHandler.addTo(ch.pipeline(), server.restContext()));
                            ch.pipeline()
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("body", new OversizedRequestAggregator(options.maxBodyBytes()))
                                    .addLast("rest", new RestConnectionHandler(dispatcher, options.enableCors()));
                            RestConnectionBounds.install(ch.pipeline(), "http", options.connectionLimits());
                            gates.addTo(ch.pipeline());
                        }
                    })
                    .bind(options.host(), options.port())
                    .syncUninterruptibly()
                    .channel();
            RestServer server = new RestServer(acceptor, eventLoops, executor, dispatcher, channel);
            LOG.info("REST API listening on {}:{} ({}, {} request threads{})", options.host(), server.port(),
                    transport.name(), options.numThreads(), gates.describe());
            return server;
        } catch (RuntimeException e) {
            executor.shutdownNow();
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        } catch (Exception e) {
            // Netty rethrows checked exceptions such as BindException without declaring them.
            executor.shutdownNow();
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            IOException io = e instanceof IOException ioe ? ioe : new IOException(e);
            throw new UncheckedIOException("Cannot serve REST on " + options.host() + ":" + options.port(), io);
        }
    }

    /** The bound port (the chosen one when the options asked for port 0). */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Stops gracefully, giving in-flight requests up to {@link #DEFAULT_GRACE} to finish. */
    @Override
    public void close() {
        close(DEFAULT_GRACE);
    }

    /**
     * Stops accepting connections, answers new requests on open connections with 503, lets the requests
     * already accepted finish and their answers go out (waiting at most {@code grace}), then stops all threads.
     */
    public void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dispatcher.startClosing();
        serverChannel.close().syncUninterruptibly();
        acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        executor.shutdown();
        long giveUpAt = System.nanoTime() + grace.toNanos();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("REST requests still running after {} ms; interrupting them", grace.toMillis());
                executor.shutdownNow();
            }
            // Requests waiting for a batch hold no executor thread; their answers still go out before the loops stop.
            if (!dispatcher.awaitAnswered(Duration.ofNanos(Math.max(0, giveUpAt - System.nanoTime())))) {
                LOG.warn("REST requests still waiting for their answer after {} ms; closing their connections",
                        grace.toMillis());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        flushHandedOverAnswers();
        eventLoops.shutdownGracefully(0, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
        LOG.info("REST API on port {} stopped", port());
    }

    /**
     * A shutting-down event loop closes its channels before it runs its queued tasks, which would drop the
     * answers the executor just handed over. Each loop runs its tasks in order, so once an empty task has
     * run on every loop, every earlier answer has been written to its socket.
     */
    private void flushHandedOverAnswers() {
        for (EventExecutor loop : eventLoops) {
            loop.submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    private static int eventLoopCount() {
        // Event loops only parse and route; a few suffice, and the cores are better spent on models.
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
