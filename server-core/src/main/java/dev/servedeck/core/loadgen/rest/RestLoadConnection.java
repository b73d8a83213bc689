package dev.servedeck.core.loadgen.rest;

import dev.servedeck.core.loadgen.AnswerListener;
import dev.servedeck.core.loadgen.LoadConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * One keep-alive HTTP/1.1 connection with at most one request in flight (no pipelining). When the server
 * closes it (or a timeout abandons it), the next send opens a new one.
 */
final class RestLoadConnection implements LoadConnection {

    private final RestLoadTarget target;
    private volatile Channel channel;
    private volatile boolean closed;

    RestLoadConnection(RestLoadTarget target, Channel channel) {
        this.target = target;
        this.channel = channel;
    }

    @Override
    public void send(AnswerListener listener) {
        Channel current = channel;
        if (current != null && current.isActive()) {
            write(current, listener);
            return;
        }
        if (closed) {
            listener.failed("connection closed");
            return;
        }
        target.open().addListener((ChannelFuture opened) -> {
            if (opened.isSuccess()) {
                channel = opened.channel();
                write(opened.channel(), listener);
            } else {
                listener.failed("connect failed: " + opened.cause().getClass().getSimpleName());
            }
        });
    }

    private void write(Channel to, AnswerListener listener) {
        to.pipeline().get(AnswerHandler.class).expect(listener);
        to.writeAndFlush(target.requestBytes(), to.voidPromise());
    }

    @Override
    public void abandon() {
        Channel current = channel;
        if (current != null) {
            current.pipeline().get(AnswerHandler.class).abandon(current); // the run counts it as a timeout
        }
    }

    @Override
    public void close() {
        closed = true;
        Channel current = channel;
        if (current != null) {
            current.close();
        }
    }
}
