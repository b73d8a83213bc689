package dev.servedeck.core.rest;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An answer ready to send: status and JSON body (a pooled buffer the receiver must send or release).
 *
 * @param allow the methods to list in an Allow header (405 answers), or null
 */
record RestResponse(HttpResponseStatus status, ByteBuf body, String allow) {

    RestResponse(HttpResponseStatus status, ByteBuf body) {
        this(status, body, null);
    }
}
