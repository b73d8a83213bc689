package dev.servedeck.core.rest;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * An answer ready to send: status and body (a pooled buffer the receiver must send or release), JSON
 * unless it says otherwise.
 *
 * @param allow the methods to list in an Allow header (405 answers), or null
 * @param contentType the body's type when it is not JSON (the metrics scrape), or null
 * @param challenge the WWW-Authenticate header of a refused request (401, 403), or null
 * @param headers further headers of the answer (the Open Inference Protocol's binary extension), usually none
 */
record RestResponse(HttpResponseStatus status, ByteBuf body, String allow, String contentType, String challenge,
        Map<String, String> headers) {

    RestResponse {
        headers = Map.copyOf(headers);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body) {
        this(status, body, null, null, null);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body, String allow) {
        this(status, body, allow, null, null);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body, String allow, String contentType) {
        this(status, body, allow, contentType, null);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body, String allow, String contentType, String challenge) {
        this(status, body, allow, contentType, challenge, Map.of());
    }
}
