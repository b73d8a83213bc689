package dev.servedeck.core.rest;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/** Stands in, in the pipeline, for a request whose body went over the limit (its body is being discarded). */
record OversizedRequest(HttpMethod method, String uri, HttpVersion version, boolean keepAlive) {
}
