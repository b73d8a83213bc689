package dev.servedeck.core.rest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers 403 to a request whose {@code Host} is not one of {@link AllowedHosts} (DNS rebinding). */
final class HostHeaderCheck implements RequestCheck {

    private static final Logger LOG = LoggerFactory.getLogger(HostHeaderCheck.class);
    /** A quoted Host names the culprit; a long one is cut, as a message should not echo a request. */
    private static final int MAX_QUOTED_CHARS = 100;

    private final AllowedHosts allowed;

    HostHeaderCheck(AllowedHosts allowed) {
        this.allowed = allowed;
    }

    @Override
    public RefusedRequest.Refusal check(HttpRequest head) {
        String host = head.headers().get(HttpHeaderNames.HOST);
        if (allowed.permits(host)) {
            return null;
        }
        LOG.debug("REST request with Host {} refused", host);
        return new RefusedRequest.Refusal(HttpResponseStatus.FORBIDDEN, (host == null ? "A Host header is required"
                : "Host '" + quoted(host) + "' is not allowed") + ": this server answers only requests for "
                + allowed + " (--rest_api_allowed_hosts)", null);
    }

    private static String quoted(String host) {
        return host.length() <= MAX_QUOTED_CHARS ? host : host.substring(0, MAX_QUOTED_CHARS) + "...";
    }
}
