package dev.servedeck.core.rest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the listening channel, before Netty sets up an accepted connection: a connection beyond the limit is closed
 * at once, before it costs a pipeline, buffers or a TLS handshake. Closing (rather than leaving connections in
 * the accept backlog) tells the client at once that the server is full, and keeps the clients already connected
 * served. The refusal is logged at most once a minute: under a flood, one line says what happens.
 */
@ChannelHandler.Sharable
final class OpenConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(OpenConnectionLimit.class);
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger refusedSinceWarning = new AtomicInteger();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);

    OpenConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel accepted)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            // Not registered with an event loop yet: close the socket directly, as Netty's acceptor does on failure.
            accepted.unsafe().closeForcibly();
            refused();
            return;
        }
        accepted.closeFuture().addListener(closed -> open.decrementAndGet());
        ctx.fireChannelRead(accepted);
    }

    private void refused() {
        int refused = refusedSinceWarning.incrementAndGet();
        long last = lastWarning.get();
        long now = System.nanoTime();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            refusedSinceWarning.addAndGet(-refused);
            LOG.warn("REST connections refused: {} open, the limit (--rest_api_max_connections); {} refused since the "
                    + "last warning", max, refused);
        }
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }
}
