package dev.servedeck.core.rest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Between the HTTP codec and the body aggregator: judges each request by its head, so a request refused (no
 * token, a foreign Host) costs no body buffering. A refused request goes on as a {@link RefusedRequest}, which
 * the connection handler answers in pipelining order, and its body is discarded as it arrives; the connection
 * keeps serving, unless the client waits for {@code 100 Continue} (it would never send that body, and the
 * bytes after the head could not be told apart). One per connection: it remembers whether it is discarding.
 */
final class RequestGate extends ChannelInboundHandlerAdapter {

    private final RequestCheck check;
    private boolean discarding;

    RequestGate(RequestCheck check) {
        this.check = check;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head) {
            discarding = false;
            // A head the codec could not parse goes on: the connection handler answers 400 and closes.
            RefusedRequest.Refusal refusal = head.decoderResult().isSuccess() ? check.check(head) : null;
            if (refusal == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(head) && !HttpUtil.is100ContinueExpected(head);
            discarding = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            ctx.fireChannelRead(new RefusedRequest(refusal.status(), refusal.message(), refusal.challenge(),
                    head.protocolVersion(), keepAlive));
            return;
        }
        if (discarding && msg instanceof HttpContent content) {
            boolean broken = !content.decoderResult().isSuccess();
            discarding = !(content instanceof LastHttpContent);
            content.release();
            if (broken) {
                // The codec lost its place in the byte stream: nothing after this can be read.
                ctx.close();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
