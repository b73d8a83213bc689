package dev.servedeck.core.rest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates request bodies up to the limit. Netty's own oversize answer is an empty 413 written past the
 * handler; this passes an {@link OversizedRequest} on instead, so the handler answers with a JSON error in
 * pipelining order. The aggregator then discards the rest of that body and the connection stays usable.
 */
final class OversizedRequestAggregator extends HttpObjectAggregator {

    OversizedRequestAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest request) {
            // The message is released after this call: keep only what the answer needs.
            ctx.fireChannelRead(new OversizedRequest(request.method(), request.uri(), request.protocolVersion(),
                    HttpUtil.isKeepAlive(request)));
        } else {
            ctx.close();
        }
    }
}
