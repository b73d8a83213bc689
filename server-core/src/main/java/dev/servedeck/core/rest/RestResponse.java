package dev.servedeck.core.rest;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An answer ready to send: status and body (a pooled buffer the receiver must send or release), JSON
 * unless it says otherwise.
 *
 * @param allow the methods to list in an Allow header (405 answers), or null
 * @param contentType the body's type when it is not JSON (the metrics scrape), or null
 * @param challenge the WWW-Authenticate header of a refused request (401, 403), or null
 */
record RestResponse(HttpResponseStatus status, ByteBuf body, String allow, String contentType, String challenge) {

    RestResponse(HttpResponseStatus status, ByteBuf body) {
        this(status, body, null, null, null);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body, String allow) {
        this(status, body, allow, null, null);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body, String allow, String contentType) {
        this(status, body, allow, contentType, null);
    }
}
