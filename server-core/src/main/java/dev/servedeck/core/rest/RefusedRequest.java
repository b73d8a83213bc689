package dev.servedeck.core.rest;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Stands in, in the pipeline, for a request a {@link RequestGate} turned away before its body was read (the
 * body is being discarded), so that the connection handler answers it in pipelining order.
 *
 * @param status 401, 403 ...
 * @param message the {@code {"error": ...}} text
 * @param challenge the WWW-Authenticate header, or null
 * @param keepAlive whether the connection may serve the next request afterwards
 */
record RefusedRequest(HttpResponseStatus status, String message, String challenge, HttpVersion version,
        boolean keepAlive) {

    /** A check's verdict on a request head, before the version and connection are known. */
    record Refusal(HttpResponseStatus status, String message, String challenge) {
    }
}
