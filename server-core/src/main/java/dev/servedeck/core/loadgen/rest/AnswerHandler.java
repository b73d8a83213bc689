package dev.servedeck.core.loadgen.rest;

import dev.servedeck.core.loadgen.AnswerListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the answer to the one request in flight on a connection: its status from the head, its end from the
 * last content. The body is released unread: a load generator counts answers, it does not parse them.
 */
final class AnswerHandler extends ChannelInboundHandlerAdapter {

    /** Status codes as reports count them, made once rather than per answer. */
    private static final String[] STATUS_TEXT = new String[600];

    static {
        for (int code = 0; code < STATUS_TEXT.length; code++) {
            STATUS_TEXT[code] = Integer.toString(code);
        }
    }

    /** Set by the sender before the write; the write's task hand-off makes it visible to the event loop. */
    private volatile AnswerListener pending;
    private String status;
    private boolean ok;
    private boolean closeAfter;

    void expect(AnswerListener listener) {
        pending = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    fail(ctx, "bad response");
                    return;
                }
                int code = response.status().code();
                status = code >= 0 && code < STATUS_TEXT.length ? STATUS_TEXT[code] : Integer.toString(code);
                ok = code >= 200 && code < 300;
                closeAfter = !HttpUtil.isKeepAlive(response);
            }
            if (msg instanceof LastHttpContent) {
                AnswerListener listener = pending;
                pending = null;
                if (closeAfter) {
                    ctx.close(); // the next send reconnects
                }
                if (listener != null) {
                    listener.answered(status, ok);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Fails the request in flight and closes the connection, on its event loop. Works even when the connection
     * closed before the request was written (so nothing else would ever answer it).
     */
    void abandon(Channel channel) {
        channel.eventLoop().execute(() -> {
            AnswerListener listener = pending;
            pending = null;
            channel.close();
            if (listener != null) {
                listener.failed("abandoned");
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "connection closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "io error: " + cause.getClass().getSimpleName());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        AnswerListener listener = pending;
        pending = null;
        ctx.close();
        if (listener != null) {
            listener.failed(reason);
        }
    }
}
