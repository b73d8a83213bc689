package dev.servedeck.core.loadgen.rest;

import dev.servedeck.core.loadgen.LoadConnection;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * REST load over Netty: non-blocking HTTP/1.1 connections, keep-alive on, pipelining off, a few event loop
 * threads (like wrk's {@code -t}) shared by all connections. Each request is the same pre-encoded POST.
 */
public final class RestLoadTarget implements LoadTarget {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final int rowsPerRequest;
    private final EventLoopGroup eventLoops;
    private final Bootstrap bootstrap;
    private final ByteBuf request;
    private final String transport;

    private static final String JSON = "application/json";

    private RestLoadTarget(URI url, byte[] body, String contentType, Map<String, String> headers, SslContext tls,
            int threads, int rowsPerRequest) {
        this.url = url;
        this.rowsPerRequest = rowsPerRequest;
        this.request = RestRequestBytes.post(url, body, contentType, headers);
        ClientTransport chosen = ClientTransport.detect();
        this.transport = chosen.name();
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("loadgen-rest", true);
        this.eventLoops = new MultiThreadIoEventLoopGroup(threads, threadFactory, chosen.ioHandlers());
        String host = url.getHost();
        int port = port(url);
        this.bootstrap = new Bootstrap().group(eventLoops).channel(chosen.channel())
                .remoteAddress(host, port)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (tls != null) {
                            pipeline.addLast(tls.newHandler(channel.alloc(), host, port));
                        }
                        pipeline.addLast(new HttpResponseDecoder());
                        pipeline.addLast(new AnswerHandler());
                    }
                });
    }

    /**
     * POSTs {@code body} to {@code url} ({@code http://} or {@code https://}).
     *
     * @param bearerToken sent as {@code Authorization: Bearer ...}, or null
     * @param tls how to trust an https server; null for the JDK's public roots
     * @param threads event loop threads (wrk's {@code -t}); 1 or 2 is plenty on a small machine
     */
    public static RestLoadTarget create(URI url, byte[] body, String bearerToken, ClientTls tls, int threads,
            int rowsPerRequest) throws SSLException {
        return create(url, body, JSON, Map.of(), bearerToken, tls, threads, rowsPerRequest);
    }

    /**
     * As {@link #create(URI, byte[], String, ClientTls, int, int)}, with a body of another type and headers of its
     * own (the Open Inference Protocol's binary tensors: {@code Inference-Header-Content-Length}).
     */
    public static RestLoadTarget create(URI url, byte[] body, String contentType, Map<String, String> bodyHeaders,
            String bearerToken, ClientTls tls, int threads, int rowsPerRequest) throws SSLException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a REST target is an http:// or https:// URL, not " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        SslContext context = null;
        if (scheme.equals("https")) {
            context = (tls == null ? ClientTls.trustingPublicRoots() : tls).restContext();
        }
        Map<String, String> headers = new LinkedHashMap<>(bodyHeaders);
        if (bearerToken != null && !bearerToken.isEmpty()) {
            headers.put("Authorization", "Bearer " + bearerToken);
        }
        return new RestLoadTarget(url, body, contentType, headers, context, Math.max(1, threads), rowsPerRequest);
    }

    static int port(URI url) {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    @Override
    public LoadConnection connect() throws IOException, InterruptedException {
        ChannelFuture opened = open();
        if (!opened.await(CONNECT_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS) || !opened.isSuccess()) {
            opened.channel().close();
            throw new IOException("cannot connect to " + url.getHost() + ":" + port(url), opened.cause());
        }
        Channel channel = opened.channel();
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null && (!tls.handshakeFuture().await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                || !tls.handshakeFuture().isSuccess())) {
            channel.close();
            throw new IOException("TLS handshake with " + url.getHost() + ":" + port(url) + " failed",
                    tls.handshakeFuture().cause());
        }
        return new RestLoadConnection(this, channel);
    }

    ChannelFuture open() {
        return bootstrap.connect();
    }

    /** The request to write: a duplicate, so that writes never move the shared bytes' indexes. */
    ByteBuf requestBytes() {
        return request.duplicate();
    }

    @Override
    public String describe() {
        return "REST " + url + " (Netty " + transport + ")";
    }

    @Override
    public int rowsPerRequest() {
        return rowsPerRequest;
    }

    @Override
    public void close() {
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
