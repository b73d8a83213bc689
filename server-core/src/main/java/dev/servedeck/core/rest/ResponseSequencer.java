package dev.servedeck.core.rest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps one connection's answers in request order (HTTP/1.1 pipelining) although the calls finish on
 * different executor threads in any order. Confined to the connection's event loop: no locks.
 */
final class ResponseSequencer {

    private final ChannelHandlerContext ctx;
    private final Map<Long, Pending> waiting = new HashMap<>();
    private long nextReserved;
    private long nextToWrite;
    private boolean closed;

    ResponseSequencer(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The position of the next request's answer. */
    long reserve() {
        return nextReserved++;
    }

    /** Sends the answer at {@code sequence} once all earlier ones are out. */
    void complete(long sequence, FullHttpResponse response, boolean keepAlive) {
        if (closed) {
            response.release();
            return;
        }
        if (sequence != nextToWrite) {
            waiting.put(sequence, new Pending(response, keepAlive));
            return;
        }
        boolean open = write(response, keepAlive);
        while (open && !waiting.isEmpty()) {
            Pending next = waiting.remove(nextToWrite);
            if (next == null) {
                break;
            }
            open = write(next.response, next.keepAlive);
        }
        if (open) {
            ctx.flush();
        }
    }

    /** Drops answers not yet written (the connection is gone or about to close). */
    void close() {
        closed = true;
        for (Pending pending : waiting.values()) {
            pending.response.release();
        }
        waiting.clear();
    }

    private boolean write(FullHttpResponse response, boolean keepAlive) {
        nextToWrite++;
        if (keepAlive) {
            ctx.write(response, ctx.voidPromise());
            return true;
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        close();
        return false;
    }

    private record Pending(FullHttpResponse response, boolean keepAlive) {
    }
}
