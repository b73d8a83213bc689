package dev.servedeck.core.rest;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Puts the per-connection bounds of {@link RestConnectionLimits} into a connection's pipeline, right after the
 * HTTP decoder: the timeouts see every socket read, the flow control holds decoded requests while reading is
 * paused, the backpressure decides when it is. The connection count is bounded on the listening channel instead
 * ({@link OpenConnectionLimit}).
 */
final class RestConnectionBounds {

    private RestConnectionBounds() {
    }

    static void install(ChannelPipeline pipeline, String afterDecoder, RestConnectionLimits limits) {
        pipeline.addAfter(afterDecoder, "timeouts", new ConnectionTimeouts(limits.idleTimeout(), limits.readTimeout()))
                .addAfter("timeouts", "flow", new FlowControlHandler())
                .addAfter("flow", "backpressure", new ReadBackpressure(limits.maxPipelinedRequests()));
    }
}
