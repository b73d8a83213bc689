package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * Opens the body as a request document: a JSON object. The parser stands on its START_OBJECT.
     *
     * @throws dev.servedeck.core.status.ServingException INVALID_ARGUMENT for an empty body or a non-object
     */
    JsonParser openObject(JsonFactory json) throws IOException {
        if (isEmpty()) {
            throw JsonErrors.emptyDocument();
        }
        JsonParser parser = open(json);
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw JsonErrors.emptyDocument();
            }
            if (token != JsonToken.START_OBJECT) {
                throw JsonErrors.notAnObject(JsonErrors.render(json, parser));
            }
            return parser;
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    /** The part of this body between two parser byte offsets. */
    JsonBody slice(long from, long to) {
        return new JsonBody(bytes, offset + (int) from, (int) (to - from));
    }
}
