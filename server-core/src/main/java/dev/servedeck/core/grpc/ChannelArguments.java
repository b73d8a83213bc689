package dev.servedeck.core.grpc;

import io.grpc.netty.NettyServerBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TF Serving's {@code --grpc_channel_arguments}: gRPC core channel arguments ({@code key=value,key=value}).
 * grpc-java has no generic channel-argument mechanism, so the arguments with a grpc-java server equivalent
 * are translated to builder calls; the rest are logged and ignored rather than refusing to start, so that
 * command lines written for tensorflow_model_server keep working.
 */
public final class ChannelArguments {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelArguments.class);

    private ChannelArguments() {
    }

    /**
     * Parses {@code key=value} pairs separated by commas, as tensorflow_model_server does.
     *
     * @throws IllegalArgumentException for a pair without '=' or with an empty key
     */
    public static Map<String, String> parse(String flag) {
        Map<String, String> arguments = new LinkedHashMap<>();
        if (flag == null || flag.isBlank()) {
            return arguments;
        }
        for (String pair : flag.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("gRPC channel argument must be key=value, was: " + pair.strip());
            }
            arguments.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
        return arguments;
    }

    /** Applies the arguments grpc-java's Netty server understands; logs the others. */
    static void apply(Map<String, String> arguments, NettyServerBuilder builder) {
        arguments.forEach((key, value) -> {
            if (!applyOne(key, value, builder)) {
                LOG.warn("gRPC channel argument {}={} has no grpc-java server equivalent; ignored", key, value);
            }
        });
    }

    private static boolean applyOne(String key, String value, NettyServerBuilder builder) {
        try {
            switch (key) {
                case "grpc.max_receive_message_length" -> builder.maxInboundMessageSize(positiveInt(value));
                case "grpc.max_metadata_size" -> builder.maxInboundMetadataSize(positiveInt(value));
                case "grpc.max_concurrent_streams" -> builder.maxConcurrentCallsPerConnection(positiveInt(value));
                case "grpc.keepalive_time_ms" -> builder.keepAliveTime(millis(value), TimeUnit.MILLISECONDS);
                case "grpc.keepalive_timeout_ms" -> builder.keepAliveTimeout(millis(value), TimeUnit.MILLISECONDS);
                case "grpc.keepalive_permit_without_calls" -> builder.permitKeepAliveWithoutCalls(!"0".equals(value));
                case "grpc.http2.min_recv_ping_interval_without_data_ms",
                        "grpc.http2.min_ping_interval_without_data_ms" ->
                        builder.permitKeepAliveTime(millis(value), TimeUnit.MILLISECONDS);
                case "grpc.max_connection_idle_ms" -> builder.maxConnectionIdle(millis(value), TimeUnit.MILLISECONDS);
                case "grpc.max_connection_age_ms" -> builder.maxConnectionAge(millis(value), TimeUnit.MILLISECONDS);
                case "grpc.max_connection_age_grace_ms" ->
                        builder.maxConnectionAgeGrace(millis(value), TimeUnit.MILLISECONDS);
                default -> {
                    return false;
                }
            }
            LOG.info("gRPC channel argument applied: {}={}", key, value);
            return true;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid gRPC channel argument " + key + "=" + value + ": "
                    + e.getMessage(), e);
        }
    }

    private static int positiveInt(String value) {
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return parsed;
    }

    private static long millis(String value) {
        long parsed = Long.parseLong(value);
        if (parsed < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return parsed;
    }
}
