package dev.servedeck.core.rest;

import dev.servedeck.core.security.Authorizer;
import io.netty.channel.ChannelPipeline;

/**
 * The {@link RequestGate}s a connection's requests pass between the HTTP codec and the body aggregator: the Host
 * check when allowed hosts are set, then the bearer token check when tokens are required. Absent checks cost
 * nothing: their gates are not in the pipeline. The checks are stateless and shared by every connection.
 */
final class RequestGates {

    /** The handler the gates go in front of: nothing is buffered before they have judged a request. */
    private static final String BODY_AGGREGATOR = "body";

    private final RequestCheck hostCheck;
    private final RequestCheck tokenCheck;
    private final String description;

    private RequestGates(RequestCheck hostCheck, RequestCheck tokenCheck, String description) {
        this.hostCheck = hostCheck;
        this.tokenCheck = tokenCheck;
        this.description = description;
    }

    static RequestGates of(RestOptions options, MonitoringRoutes monitoring, Authorizer authorizer) {
        RequestCheck hosts = options.allowedHosts().allowsAny() ? null : new HostHeaderCheck(options.allowedHosts());
        RequestCheck tokens = authorizer.enabled()
                ? new BearerTokenCheck(authorizer, new RestRouter(monitoring), options.enableCors()) : null;
        String description = (tokens == null ? "" : ", bearer tokens required")
                + (hosts == null ? "" : ", Host " + options.allowedHosts() + " only");
        return new RequestGates(hosts, tokens, description);
    }

    /** Puts the gates in front of the body aggregator of a new connection's pipeline. */
    void addTo(ChannelPipeline pipeline) {
        if (hostCheck != null) {
            pipeline.addBefore(BODY_AGGREGATOR, "hosts", new RequestGate(hostCheck));
        }
        if (tokenCheck != null) {
            pipeline.addBefore(BODY_AGGREGATOR, "auth", new RequestGate(tokenCheck));
        }
    }

    /** For the start-up log line: what the gates check, or nothing. */
    String describe() {
        return description;
    }
}
