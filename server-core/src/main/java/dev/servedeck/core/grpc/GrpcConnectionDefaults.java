package dev.servedeck.core.grpc;

import io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What one gRPC client may hold of the server, set on every Netty gRPC server before {@code --grpc_channel_arguments}
 * (which may change each of them under the channel argument's name, as for tensorflow_model_server). grpc-java's
 * own defaults let one connection open any number of streams and keep an idle connection forever.
 */
final class GrpcConnectionDefaults {

    /**
     * Streams one connection may have open ({@code grpc.max_concurrent_streams}): the value HTTP/2 recommends as
     * the least a server should allow. A client with more calls in flight queues them on its side.
     */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /**
     * A connection without calls for this long is closed with a GOAWAY ({@code grpc.max_connection_idle_ms});
     * its client reconnects on its next call.
     */
    static final Duration MAX_CONNECTION_IDLE = Duration.ofMinutes(5);
    /**
     * Pings more frequent than this end the connection ({@code grpc.http2.min_recv_ping_interval_without_data_ms}),
     * and pings without calls are not allowed ({@code grpc.keepalive_permit_without_calls}): gRPC's own policy,
     * set here so that it does not change with grpc-java's defaults.
     */
    static final Duration PERMIT_KEEPALIVE_TIME = Duration.ofMinutes(5);
    /**
     * The server pings a connection silent for this long and closes it when no answer comes within the timeout
     * ({@code grpc.keepalive_time_ms}, {@code grpc.keepalive_timeout_ms}): a client gone without closing (power
     * cut, network cut) stops holding its calls' slots after minutes, not grpc-java's two hours.
     */
    static final Duration KEEPALIVE_TIME = Duration.ofMinutes(5);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /** A connection that has not finished its handshake (TLS, HTTP/2 preface) after this long is closed. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private GrpcConnectionDefaults() {
    }

    static void applyTo(NettyServerBuilder builder) {
        builder.maxConcurrentCallsPerConnection(MAX_CONCURRENT_STREAMS)
                .maxConnectionIdle(MAX_CONNECTION_IDLE.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .keepAliveTime(KEEPALIVE_TIME.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
