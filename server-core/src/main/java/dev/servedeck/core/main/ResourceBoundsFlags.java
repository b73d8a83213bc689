package dev.servedeck.core.main;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.rest.RestConnectionLimits;
import dev.servedeck.core.rest.RestOptions;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * ServeDeck's flags for what one request or client may cost (docs/security-bounds.md): tensor bytes, REST
 * connections and their timeouts, gRPC calls that send no message. gRPC's connection bounds (streams per
 * connection, keepalive, idle connections) keep their {@code --grpc_channel_arguments} names, as in
 * tensorflow_model_server.
 */
final class ResourceBoundsFlags {

    /** The gRPC channel argument that overrides {@code --grpc_max_message_bytes}. */
    private static final String MAX_RECEIVE_MESSAGE_LENGTH = "grpc.max_receive_message_length";

    @Option(names = "--max_tensor_bytes", paramLabel = "BYTES", defaultValue = "-1",
            description = "ServeDeck: bytes a request's input tensors may declare, each and together, checked before "
                    + "anything is allocated (a value broadcast to a shape counts the whole shape; Classify and Regress "
                    + "count each example with the context); larger requests get INVALID_ARGUMENT / 400. Default 256 "
                    + "MiB, or the gRPC message limit when that is lower; at most the gRPC message limit.")
    long maxTensorBytes;

    @Option(names = "--max_in_flight_tensor_bytes", paramLabel = "BYTES", defaultValue = "-1",
            description = "ServeDeck: bytes of tensors all requests being served may declare together; a request that "
                    + "does not fit gets RESOURCE_EXHAUSTED / 429 at once (default: twice --max_tensor_bytes; at least "
                    + "--max_tensor_bytes).")
    long maxInFlightTensorBytes;

    @Option(names = "--rest_api_idle_timeout_in_ms", paramLabel = "MS", defaultValue = "75000",
            description = "ServeDeck: close a REST connection with no request in progress after this long without "
                    + "traffic, or whose client has not read its answers for this long (default ${DEFAULT-VALUE}).")
    long restApiIdleTimeoutMs;

    @Option(names = "--rest_api_read_timeout_in_ms", paramLabel = "MS", defaultValue = "30000",
            description = "ServeDeck: a REST request's headers must arrive within this long of its first byte, its body "
                    + "without a pause this long; otherwise 408 and the connection is closed (default ${DEFAULT-VALUE}).")
    long restApiReadTimeoutMs;

    @Option(names = "--rest_api_max_connections", paramLabel = "N", defaultValue = "1024",
            description = "ServeDeck: open REST connections at most; further ones are closed when accepted "
                    + "(default ${DEFAULT-VALUE}).")
    int restApiMaxConnections;

    @Option(names = "--rest_api_max_pipelined_requests", paramLabel = "N", defaultValue = "16",
            description = "ServeDeck: a REST connection with this many requests unanswered is not read further until an "
                    + "answer goes out (default ${DEFAULT-VALUE}).")
    int restApiMaxPipelinedRequests;

    @Option(names = "--grpc_max_calls_awaiting_message", paramLabel = "N", defaultValue = "256",
            description = "ServeDeck: gRPC calls that started but sent no request message yet, at most; beyond, the "
                    + "oldest is ended with RESOURCE_EXHAUSTED, so streams that send only headers cannot take the slots "
                    + "of real calls (default ${DEFAULT-VALUE}).")
    int grpcMaxCallsAwaitingMessage;

    /**
     * The tensor bounds: per request the flag's value, or 256 MiB capped at the gRPC message limit when the flag is
     * not given; in flight the flag's value, or twice the per-request bound.
     *
     * @throws IllegalArgumentException for a bound that is not positive, a per-request bound above the gRPC message
     *     limit (a tensor no message can carry could only come from a broadcast or an expansion, which the bound
     *     exists to refuse), or an in-flight bound below the per-request one
     */
    ServerCoreOptions applyTo(ServerCoreOptions core, Optional<GrpcOptions> grpc) {
        long perRequest = perRequestTensorBytes(grpc.map(ResourceBoundsFlags::messageLimit));
        TensorByteLimit limit = maxInFlightTensorBytes == -1 ? new TensorByteLimit(perRequest)
                : new TensorByteLimit(perRequest, maxInFlightTensorBytes);
        return core.withTensorByteLimit(limit);
    }

    private long perRequestTensorBytes(Optional<Long> messageLimit) {
        if (maxTensorBytes == -1) {
            return Math.min(TensorByteLimit.DEFAULT_MAX_BYTES, messageLimit.orElse(Long.MAX_VALUE));
        }
        if (maxTensorBytes <= 0) {
            throw new IllegalArgumentException(TensorByteLimit.FLAG + " must be positive, was " + maxTensorBytes);
        }
        if (messageLimit.isPresent() && maxTensorBytes > messageLimit.get()) {
            throw new IllegalArgumentException(TensorByteLimit.FLAG + "=" + maxTensorBytes + " exceeds the largest "
                    + "gRPC message (" + messageLimit.get() + " bytes, --grpc_max_message_bytes or "
                    + MAX_RECEIVE_MESSAGE_LENGTH + "); raise that first");
        }
        return maxTensorBytes;
    }

    /** @throws IllegalArgumentException for a non-positive value, naming the flag */
    RestOptions applyTo(RestOptions rest) {
        try {
            return rest.withConnectionLimits(new RestConnectionLimits(Duration.ofMillis(restApiIdleTimeoutMs),
                    Duration.ofMillis(restApiReadTimeoutMs), restApiMaxConnections, restApiMaxPipelinedRequests));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rest_api_idle_timeout_in_ms, --rest_api_read_timeout_in_ms, "
                    + "--rest_api_max_connections and --rest_api_max_pipelined_requests must be positive: "
                    + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException for a non-positive value, naming the flag */
    GrpcOptions applyTo(GrpcOptions grpc) {
        if (grpcMaxCallsAwaitingMessage <= 0) {
            throw new IllegalArgumentException("--grpc_max_calls_awaiting_message must be positive, was "
                    + grpcMaxCallsAwaitingMessage);
        }
        return grpc.withMaxCallsAwaitingMessage(grpcMaxCallsAwaitingMessage);
    }

    /** The largest request message the gRPC server will take, as {@code GrpcServer} configures it. */
    private static long messageLimit(GrpcOptions grpc) {
        String override = grpc.channelArguments().get(MAX_RECEIVE_MESSAGE_LENGTH);
        if (override != null) {
            try {
                return Integer.parseInt(override.strip());
            } catch (NumberFormatException e) {
                // ChannelArguments refuses it when the server starts, with the argument's name.
                return grpc.maxMessageBytes();
            }
        }
        return grpc.maxMessageBytes();
    }
}
