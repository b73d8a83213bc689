package dev.servedeck.core.rest;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection, right after the HTTP decoder: closes a connection that holds the server without using it
 * ({@link RestConnectionLimits}).
 *
 * <ul>
 *   <li>Reading a request head: bytes arrived but the headers are not complete {@code readTimeout} after the
 *       first of them (half a header, then nothing: the classic slow client).</li>
 *   <li>Reading a body: no bytes for {@code readTimeout}.</li>
 *   <li>Idle: no request being read, no answer pending, no traffic for {@code idleTimeout}.</li>
 *   <li>Answers not read: the client has not taken the answers written to it (the channel stays unwritable) for
 *       {@code idleTimeout}.</li>
 * </ul>
 * A request timed out gets a 408 before the close when nothing earlier is still to be answered on the connection
 * (an answer out of order would break pipelining); otherwise the connection just closes.
 *
 * <p>Cheap on the request path: events only note times, and one timer per connection checks them when it fires
 * (Netty's IdleStateHandler does the same), rescheduled for the earliest deadline. The decoder reports every
 * socket read as a read-complete even when no message came of it, which is how the start of a head is seen.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);

    private enum Reading { NOTHING, HEAD, BODY }

    private final long idleNanos;
    private final long readNanos;
    private Reading reading = Reading.NOTHING;
    /** Requests whose head was read and whose final answer (not a 1xx) has not been written yet. */
    private int unanswered;
    private boolean messageSinceReadComplete;
    private long headStartedAt;
    private long lastActivity;
    /** Whether the client has left answers unread (the channel is unwritable), and since when. */
    private boolean unwritable;
    private long unwritableSince;
    /** The pending check, if any, and when it runs. */
    private ScheduledFuture<?> check;
    private long checkAt;

    ConnectionTimeouts(Duration idleTimeout, Duration readTimeout) {
        this.idleNanos = idleTimeout.toNanos();
        this.readNanos = readTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        unwritable = !ctx.channel().isWritable();
        unwritableSince = lastActivity;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            scheduleCheck(ctx, lastActivity + idleNanos);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (check == null) {
            scheduleCheck(ctx, lastActivity + idleNanos);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        messageSinceReadComplete = true;
        lastActivity = System.nanoTime();
        if (msg instanceof HttpRequest) {
            unanswered++;
            reading = Reading.BODY;
        }
        if (msg instanceof LastHttpContent) {
            reading = Reading.NOTHING;
        } else if (msg instanceof HttpContent || msg instanceof HttpRequest) {
            reading = Reading.BODY;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (!messageSinceReadComplete && reading == Reading.NOTHING) {
            // Bytes came in and the decoder made nothing of them yet: a request head has begun.
            reading = Reading.HEAD;
            headStartedAt = System.nanoTime();
            lastActivity = headStartedAt;
        }
        messageSinceReadComplete = false;
        // A request left half-read by this read: its deadline is nearer than the idle one the check waits for.
        // (Requests that arrive whole, the usual case, never get here, so they cost no rescheduling.)
        if (reading == Reading.HEAD) {
            scheduleCheckNoLaterThan(ctx, headStartedAt + readNanos);
        } else if (reading == Reading.BODY) {
            scheduleCheckNoLaterThan(ctx, lastActivity + readNanos);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
                && unanswered > 0) {
            unanswered--;
            lastActivity = System.nanoTime();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        lastActivity = System.nanoTime();
        unwritable = !ctx.channel().isWritable();
        unwritableSince = lastActivity;
        if (unwritable) {
            scheduleCheckNoLaterThan(ctx, unwritableSince + idleNanos);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelCheck();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelCheck();
    }

    /** Brings the check forward when a new deadline comes before the one it was scheduled for. */
    private void scheduleCheckNoLaterThan(ChannelHandlerContext ctx, long at) {
        if (check == null || at - checkAt < 0) {
            scheduleCheck(ctx, at);
        }
    }

    private void scheduleCheck(ChannelHandlerContext ctx, long at) {
        cancelCheck();
        checkAt = at;
        check = ctx.executor().schedule(() -> runCheck(ctx), Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void runCheck(ChannelHandlerContext ctx) {
        check = null;
        if (!ctx.channel().isOpen()) {
            return;
        }
        long now = System.nanoTime();
        long deadline = deadline();
        if (now - deadline < 0) {
            scheduleCheck(ctx, deadline);
            return;
        }
        expire(ctx);
    }

    /** The moment the connection has overstayed, given what it is doing now. */
    private long deadline() {
        if (unwritable) {
            return unwritableSince + idleNanos;
        }
        return switch (reading) {
            case HEAD -> headStartedAt + readNanos;
            case BODY -> lastActivity + readNanos;
            // Answers pending: the REST timeout and the model bound those; look again later.
            case NOTHING -> unanswered > 0 ? System.nanoTime() + readNanos : lastActivity + idleNanos;
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        if (unwritable) {
            LOG.debug("Closing REST connection {}: its client has not read its answers for {} ms",
                    ctx.channel().remoteAddress(), idleNanos / 1_000_000);
            ctx.close();
            return;
        }
        if (reading == Reading.NOTHING) {
            LOG.debug("Closing idle REST connection {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        String what = reading == Reading.HEAD ? "request headers not complete" : "request body stalled";
        LOG.debug("Closing REST connection {}: {} after {} ms (--rest_api_read_timeout_in_ms)",
                ctx.channel().remoteAddress(), what, readNanos / 1_000_000);
        // A request being read has been counted as unanswered: an answer now is in order only if it is the only one.
        boolean inOrder = reading == Reading.HEAD ? unanswered == 0 : unanswered == 1;
        if (!inOrder) {
            ctx.close();
            return;
        }
        byte[] body = ("{\"error\": \"Request timeout: " + what + " within " + readNanos / 1_000_000
                + " ms (--rest_api_read_timeout_in_ms)\"}").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
        timeout.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
    }
}
