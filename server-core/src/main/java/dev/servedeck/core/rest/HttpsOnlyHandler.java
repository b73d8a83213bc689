package dev.servedeck.core.rest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * First on each connection of a TLS port: a client that opens with a TLS record gets TLS (this handler replaces
 * itself with the context's SslHandler and hands over the bytes read so far); a client speaking plain HTTP gets
 * a 400 in plain HTTP, in TF Serving's {@code {"error": ...}} form, and the connection is closed. Without it, a
 * plain-HTTP client would see its connection reset with no hint, and the log a decoder stack trace.
 */
final class HttpsOnlyHandler extends ByteToMessageDecoder {

    /** A TLS record header: content type, version (2 bytes), length (2 bytes). */
    private static final int RECORD_HEADER_BYTES = 5;
    private static final byte[] PLAIN_HTTP_ANSWER = answer(
            "{\"error\": \"This port serves HTTPS: use https:// (plain HTTP was sent to a TLS port)\"}");

    private final SslContext context;

    private HttpsOnlyHandler(SslContext context) {
        this.context = context;
    }

    /** Puts TLS in front of whatever the pipeline holds so far. */
    static void addTo(ChannelPipeline pipeline, SslContext context) {
        pipeline.addLast("https-only", new HttpsOnlyHandler(context))
                .addLast("tls-failures", TlsFailureLogger.INSTANCE);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER_BYTES) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            // Removing a decoder passes its buffered bytes to the next handler: the SslHandler sees the hello.
            ctx.pipeline().replace(this, "tls", context.newHandler(ctx.alloc()));
            return;
        }
        in.skipBytes(in.readableBytes());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_HTTP_ANSWER)).addListener(ChannelFutureListener.CLOSE);
    }

    private static byte[] answer(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(body, 0, whole, headBytes.length, body.length);
        return whole;
    }
}
