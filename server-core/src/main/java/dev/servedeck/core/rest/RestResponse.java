package dev.servedeck.core.rest;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An answer ready to send: status and body (a pooled buffer the receiver must send or release), JSON
 * unless it says otherwise.
 *
 * @param allow the methods to list in an Allow header (405 answers), or null
 * @param contentType the body's type when it is not JSON (the metrics scrape), or null
 */
record RestResponse(HttpResponseStatus status, ByteBuf body, String allow, String contentType) {

    RestResponse(HttpResponseStatus status, ByteBuf body) {
        this(status, body, null, null);
    }

    RestResponse(HttpResponseStatus status, ByteBuf body, String allow) {
        this(status, body, allow, null);
    }
}
