package dev.servedeck.core.rest;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * One per connection: stops reading it while it has {@code maxPipelined} requests read and not yet answered, or
 * while its client leaves the answers already written unread (the channel is unwritable), and reads on as soon as
 * neither holds. A client that pipelines requests faster than it takes the answers then waits in TCP's own flow
 * control instead of filling the server's memory with requests and answers.
 *
 * <p>Turning Netty's auto-read off stops socket reads, but the HTTP decoder has already turned what one read
 * brought into messages; a {@code FlowControlHandler} before this one holds those and hands them on one per read.
 */
final class ReadBackpressure extends ChannelDuplexHandler {

    private final int maxPipelined;
    /** Requests whose head was read and whose final answer (not a 1xx) has not been written yet. */
    private int unanswered;

    ReadBackpressure(int maxPipelined) {
        this.maxPipelined = maxPipelined;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            unanswered++;
            update(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean answer = msg instanceof HttpResponse response
                && response.status().codeClass() != HttpStatusClass.INFORMATIONAL && unanswered > 0;
        ctx.write(msg, promise);
        if (answer) {
            unanswered--;
            update(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        update(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void update(ChannelHandlerContext ctx) {
        boolean read = unanswered < maxPipelined && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            // Turning it back on asks for a read, which the FlowControlHandler answers with a held message first.
            ctx.channel().config().setAutoRead(read);
        }
    }
}
