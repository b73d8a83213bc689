package dev.servedeck.core.rest;

import dev.servedeck.core.status.Code;
import io.netty.handler.codec.http.HttpResponseStatus;

/** TF Serving's ToHTTPStatusCode (model_servers/http_server.cc): which HTTP status answers which status code. */
final class HttpStatusMapping {

    static final HttpResponseStatus CLIENT_CLOSED_REQUEST = new HttpResponseStatus(499, "Client Closed Request");

    private HttpStatusMapping() {
    }

    static HttpResponseStatus of(Code code) {
        return switch (code) {
            case OK -> HttpResponseStatus.OK;
            case CANCELLED -> CLIENT_CLOSED_REQUEST;
            case UNKNOWN, INTERNAL, DATA_LOSS -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            // TF Serving answers FAILED_PRECONDITION with 400, not 412: clients written for it expect that.
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpResponseStatus.BAD_REQUEST;
            case DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpResponseStatus.CONFLICT;
            case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
            case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
        };
    }
}
