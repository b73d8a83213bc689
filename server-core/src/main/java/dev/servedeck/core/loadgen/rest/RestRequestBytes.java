package dev.servedeck.core.loadgen.rest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The whole HTTP/1.1 request, encoded once (request line, headers, body), as wrk does: every send writes a
 * duplicate of the same bytes, so a request costs no encoding and no header copies.
 */
final class RestRequestBytes {

    private RestRequestBytes() {
    }

    /** A POST of {@code body} to {@code url}, keep-alive (HTTP/1.1's default), with extra {@code headers}. */
    static ByteBuf post(URI url, byte[] body, String contentType, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(pathAndQuery(url)).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(RestLoadTarget.port(url)).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        // On the heap, so the garbage collector frees it; never released by a write, since each send writes a
        // duplicate of it. (Netty copies it into a direct buffer per write: a few hundred bytes.)
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(headBytes, body).asReadOnly());
    }

    private static String pathAndQuery(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
