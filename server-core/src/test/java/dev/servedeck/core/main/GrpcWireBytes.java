package dev.servedeck.core.main;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A gRPC call as the bytes an HTTP/2 client sends on a fresh connection (preface, SETTINGS, HEADERS, DATA), written
 * by hand so that a test can cut them anywhere or make the gRPC frame lie about its length. Headers are HPACK
 * literals without indexing or Huffman coding, which every decoder must accept.
 */
final class GrpcWireBytes {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int SETTINGS = 0x4;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;

    private GrpcWireBytes() {
    }

    /**
     * @param method the full method name ({@code service/method})
     * @param declaredLength the length the gRPC frame claims; {@code message.length} for an honest frame
     */
    static byte[] call(String method, byte[] message, int declaredLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREFACE);
        frame(out, SETTINGS, 0, 0, new byte[0]);
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        literal(headers, ":method", "POST");
        literal(headers, ":scheme", "http");
        literal(headers, ":path", "/" + method);
        literal(headers, ":authority", "127.0.0.1");
        literal(headers, "content-type", "application/grpc");
        literal(headers, "te", "trailers");
        frame(out, HEADERS, END_HEADERS, 1, headers.toByteArray());
        ByteArrayOutputStream grpc = new ByteArrayOutputStream();
        grpc.write(0); // not compressed
        grpc.write(declaredLength >>> 24);
        grpc.write(declaredLength >>> 16);
        grpc.write(declaredLength >>> 8);
        grpc.write(declaredLength);
        grpc.writeBytes(message);
        frame(out, DATA, END_STREAM, 1, grpc.toByteArray());
        return out.toByteArray();
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(stream >>> 24);
        out.write(stream >>> 16);
        out.write(stream >>> 8);
        out.write(stream);
        out.writeBytes(payload);
    }

    /** HPACK "literal header field without indexing, new name" (RFC 7541 6.2.2), plain strings. */
    private static void literal(ByteArrayOutputStream out, String name, String value) {
        out.write(0x00);
        string(out, name.getBytes(StandardCharsets.US_ASCII));
        string(out, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A string literal: its length as a 7-bit-prefix integer (RFC 7541 5.1), no Huffman coding, then the bytes. */
    private static void string(ByteArrayOutputStream out, byte[] bytes) {
        int length = bytes.length;
        if (length < 127) {
            out.write(length);
        } else {
            out.write(127);
            length -= 127;
            while (length >= 128) {
                out.write((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            out.write(length);
        }
        out.writeBytes(bytes);
    }
}
