package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A request body (or a slice of one) as UTF-8 bytes. Byte offsets reported by parsers opened on it are
 * relative to {@link #offset()}, so a value found by one pass can be re-read by another without a tree.
 */
record JsonBody(byte[] bytes, int offset, int length) {

    static JsonBody of(ByteBuf content) {
        int length = content.readableBytes();
        if (content.hasArray()) {
            return new JsonBody(content.array(), content.arrayOffset() + content.readerIndex(), length);
        }
        return new JsonBody(ByteBufUtil.getBytes(content), 0, length);
    }

    static JsonBody of(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new JsonBody(bytes, 0, bytes.length);
    }

    boolean isEmpty() {
        return length == 0;
    }

    JsonParser open(JsonFactory json) throws IOException {
        return json.createParser(bytes, offset, length);
    }

    /** The part of this body between two parser byte offsets. */
    JsonBody slice(long from, long to) {
        return new JsonBody(bytes, offset + (int) from, (int) (to - from));
    }
}
