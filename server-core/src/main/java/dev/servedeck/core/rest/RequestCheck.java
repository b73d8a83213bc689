package dev.servedeck.core.rest;

import io.netty.handler.codec.http.HttpRequest;

/** A rule a request's head (request line and headers) must pass before its body is read. */
@FunctionalInterface
interface RequestCheck {

    /** Null when the request may go on; otherwise why not. Runs on the event loop: no blocking. */
    RefusedRequest.Refusal check(HttpRequest head);
}
