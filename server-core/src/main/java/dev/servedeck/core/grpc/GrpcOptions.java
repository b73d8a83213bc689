package dev.servedeck.core.grpc;

import java.util.Map;
import java.util.Objects;

/**
 * How the gRPC front end listens and runs, after tensorflow_model_server's flags.
 *
 * @param host the address to bind; {@code 127.0.0.1} unless the server should be reachable from elsewhere
 * @param port the port to bind (--port); 0 picks a free one, see {@link GrpcServer#port()}
 * @param maxThreads threads that run calls into the core (--grpc_max_threads)
 * @param maxMessageBytes largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED
 * @param channelArguments gRPC channel arguments by name (--grpc_channel_arguments); those that grpc-java's
 *     server can honour are applied after {@code maxMessageBytes}, so they win, the others are logged and ignored
 * @param maxCallsAwaitingMessage calls that started but whose request message has not arrived, at most
 *     ({@code --grpc_max_calls_awaiting_message}): beyond, the oldest of them is ended (see {@link AwaitingMessageLimit})
 * @param adminApi whether ServeDeck's admin API ({@code servedeck.admin.v1.AdminService}) is served beside TF
 *     Serving's services ({@code --admin_api}); without it the port offers exactly tensorflow_model_server's surface
 *     and admin calls answer UNIMPLEMENTED, as any unknown service
 */
public record GrpcOptions(String host, int port, int maxThreads, int maxMessageBytes,
        Map<String, String> channelArguments, int maxCallsAwaitingMessage, boolean adminApi) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Generous for tensors, still far below TF Serving's 2 GiB ceiling so that one call cannot eat the heap. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
    /**
     * Far more than clients uploading at the same moment ever need (a call's message follows its headers within
     * microseconds), far fewer than the calls in flight {@link GrpcServer} admits, so streams that never send a
     * message cannot take those.
     */
    public static final int DEFAULT_MAX_CALLS_AWAITING_MESSAGE = 256;

    public GrpcOptions {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxThreads <= 0) {
            throw new IllegalArgumentException("maxThreads must be positive, was " + maxThreads);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        channelArguments = Map.copyOf(Objects.requireNonNull(channelArguments, "channelArguments"));
        if (maxCallsAwaitingMessage <= 0) {
            throw new IllegalArgumentException("maxCallsAwaitingMessage must be positive, was " + maxCallsAwaitingMessage);
        }
    }

    /** With the admin API. */
    public GrpcOptions(String host, int port, int maxThreads, int maxMessageBytes,
            Map<String, String> channelArguments, int maxCallsAwaitingMessage) {
        this(host, port, maxThreads, maxMessageBytes, channelArguments, maxCallsAwaitingMessage, true);
    }

    /** With {@link #DEFAULT_MAX_CALLS_AWAITING_MESSAGE} and the admin API. */
    public GrpcOptions(String host, int port, int maxThreads, int maxMessageBytes, Map<String, String> channelArguments) {
        this(host, port, maxThreads, maxMessageBytes, channelArguments, DEFAULT_MAX_CALLS_AWAITING_MESSAGE);
    }

    /** Loopback, an ephemeral port, TF Serving's thread default (4 per core), 256 MiB messages. */
    public static GrpcOptions defaults() {
        return new GrpcOptions(DEFAULT_HOST, 0, defaultMaxThreads(), DEFAULT_MAX_MESSAGE_BYTES, Map.of());
    }

    /** TF Serving's --grpc_max_threads default: 4 threads per core. */
    public static int defaultMaxThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    public GrpcOptions withHost(String newHost) {
        return new GrpcOptions(newHost, port, maxThreads, maxMessageBytes, channelArguments, maxCallsAwaitingMessage,
                adminApi);
    }

    public GrpcOptions withPort(int newPort) {
        return new GrpcOptions(host, newPort, maxThreads, maxMessageBytes, channelArguments, maxCallsAwaitingMessage,
                adminApi);
    }

    public GrpcOptions withMaxThreads(int newMaxThreads) {
        return new GrpcOptions(host, port, newMaxThreads, maxMessageBytes, channelArguments, maxCallsAwaitingMessage,
                adminApi);
    }

    public GrpcOptions withMaxMessageBytes(int newMaxMessageBytes) {
        return new GrpcOptions(host, port, maxThreads, newMaxMessageBytes, channelArguments, maxCallsAwaitingMessage,
                adminApi);
    }

    public GrpcOptions withChannelArguments(Map<String, String> newChannelArguments) {
        return new GrpcOptions(host, port, maxThreads, maxMessageBytes, newChannelArguments, maxCallsAwaitingMessage);
    }

    public GrpcOptions withMaxCallsAwaitingMessage(int max) {
        return new GrpcOptions(host, port, maxThreads, maxMessageBytes, channelArguments, max, adminApi);
    }

    /** With or without the admin API ({@code --admin_api}). */
    public GrpcOptions withAdminApi(boolean served) {
        return new GrpcOptions(host, port, maxThreads, maxMessageBytes, channelArguments, maxCallsAwaitingMessage,
                served);
    }
}
