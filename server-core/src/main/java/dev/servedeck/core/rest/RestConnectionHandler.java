package dev.servedeck.core.rest;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection: turns aggregated requests into dispatches and dispatch results into HTTP responses
 * (JSON content type, length, keep-alive, CORS), written back in request order.
 */
final class RestConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RestConnectionHandler.class);

    private static final AsciiString CORS_ALLOWED_METHODS = AsciiString.cached("POST, GET");
    // Authorization too: a browser client of a server with tokens sends its bearer token.
    private static final AsciiString CORS_ALLOWED_HEADERS = AsciiString.cached("Content-Type, Authorization");
    private static final AsciiString ANY_ORIGIN = AsciiString.cached("*");
    // Our own headers are well-formed constants: skip Netty's per-header validation.
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private final RestDispatcher dispatcher;
    private final boolean cors;
    private ResponseSequencer sequencer;

    RestConnectionHandler(RestDispatcher dispatcher, boolean cors) {
        this.dispatcher = dispatcher;
        this.cors = cors;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        sequencer = new ResponseSequencer(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            onRequest(ctx, request);
        } else if (msg instanceof OversizedRequest oversized) {
            long sequence = sequencer.reserve();
            answer(ctx, sequence, dispatcher.tooLarge(ctx.alloc()), oversized.version(), oversized.keepAlive());
        } else if (msg instanceof RefusedRequest refused) {
            long sequence = sequencer.reserve();
            answer(ctx, sequence, dispatcher.refused(refused, ctx.alloc()), refused.version(), refused.keepAlive());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        long sequence = sequencer.reserve();
        HttpVersion version = request.protocolVersion();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            request.release();
            // The byte stream can no longer be trusted to be in step: answer, then close.
            answer(ctx, sequence, dispatcher.badHttp(ctx.alloc()), version, false);
            return;
        }
        if (cors && request.method().equals(HttpMethod.OPTIONS)) {
            request.release();
            answer(ctx, sequence, new RestResponse(HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER), version, keepAlive);
            return;
        }
        dispatcher.dispatch(request, ctx.alloc(), response -> {
            if (ctx.executor().inEventLoop()) {
                answer(ctx, sequence, response, version, keepAlive);
                return;
            }
            try {
                ctx.executor().execute(() -> answer(ctx, sequence, response, version, keepAlive));
            } catch (RejectedExecutionException e) {
                // The event loop is gone (server stopped): nobody is left to send this.
                if (response != null) {
                    response.body().release();
                }
            }
        });
    }

    private void answer(ChannelHandlerContext ctx, long sequence, RestResponse response, HttpVersion version,
            boolean keepAlive) {
        if (response == null) {
            sequencer.close();
            ctx.close();
            return;
        }
        boolean stayOpen = keepAlive && !dispatcher.closing();
        sequencer.complete(sequence, toHttp(response, version, stayOpen), stayOpen);
    }

    private FullHttpResponse toHttp(RestResponse response, HttpVersion version, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(version, response.status(), response.body(), HEADERS, TRAILERS);
        HttpHeaders headers = http.headers();
        if (response.status().code() != HttpResponseStatus.NO_CONTENT.code()) {
            headers.set(HttpHeaderNames.CONTENT_TYPE,
                    response.contentType() == null ? HttpHeaderValues.APPLICATION_JSON : response.contentType());
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().readableBytes());
        }
        if (response.allow() != null) {
            headers.set(HttpHeaderNames.ALLOW, response.allow());
        }
        if (response.challenge() != null) {
            headers.set(HttpHeaderNames.WWW_AUTHENTICATE, response.challenge());
        }
        response.headers().forEach(headers::set);
        if (cors) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN);
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, CORS_ALLOWED_METHODS);
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, CORS_ALLOWED_HEADERS);
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return http;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        sequencer.close();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("REST connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("REST connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        sequencer.close();
        ctx.close();
    }
}
