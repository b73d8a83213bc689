package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes JSON answers straight into pooled buffers, for both REST dialects (TF Serving's and the Open Inference
 * Protocol's), which also share the error body {@code {"error": "message"}}.
 */
final class JsonResponses {

    private static final int INITIAL_BODY_BYTES = 256;

    private final JsonFactory json;

    JsonResponses(JsonFactory json) {
        this.json = json;
    }

    /** {@code {"error": "message"}}, as TF Serving and the Open Inference Protocol answer every failure. */
    RestResponse error(HttpResponseStatus status, String message, ByteBufAllocator alloc) {
        return render(status, alloc, g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /** A JSON answer; on failure the buffer goes back to the pool. */
    RestResponse render(HttpResponseStatus status, ByteBufAllocator alloc, BodyWriter writer) {
        ByteBuf buffer = alloc.buffer(INITIAL_BODY_BYTES);
        boolean written = false;
        try {
            write(buffer, writer);
            written = true;
            return new RestResponse(status, buffer);
        } finally {
            if (!written) {
                buffer.release();
            }
        }
    }

    /** Appends JSON to a buffer the caller owns (and releases on failure). */
    void write(ByteBuf buffer, BodyWriter writer) {
        try (JsonGenerator g = json.createGenerator((OutputStream) new ByteBufOutputStream(buffer), JsonEncoding.UTF8)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }
}
