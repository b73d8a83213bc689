package dev.servedeck.console.backend.remote;

import dev.servedeck.console.backend.LoadTargets;
import dev.servedeck.console.connections.ClientTls;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The one place a remote server's connections are built: the gRPC channel of the admin API (the connection's TLS
 * through core.tls, the bearer token as call credentials on every call), the HTTP client of its REST API with the
 * same TLS and token, and the load engine's targets. Holds native resources (Netty's event loop): close it.
 *
 * <p>Public for the backend of a plain tensorflow_model_server (backend.tfserving), which reaches TF Serving's own
 * services over the same channel, and for the probe that tells the two kinds of server apart.
 */
public final class RemoteTransport implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final Optional<String> token;
    private final Optional<dev.servedeck.core.tls.ClientTls> tls;
    private final ManagedChannel channel;
    private final HttpClient http;

    /** @throws IllegalArgumentException when the connection's TLS files or key do not read (the words say which) */
    public RemoteTransport(Connection connection, Optional<String> token, Optional<String> clientKeyPem) {
        this.connection = connection;
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
        this.tls = connection.usesTls() ? Optional.of(ClientTls.of(connection, clientKeyPem)) : Optional.empty();
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(connection.address().getHost(),
                        connection.adminPort())
                // A gone server must be said at once, not hidden behind retries: the backend retries itself.
                .disableRetry()
                .withOption(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                // The server's defaults allow no keepalive pings more often than every 5 min; the backend's own
                // watchdog (statistics every 0.5 s) notices a silent loss instead.
                .maxInboundMessageSize(64 << 20);
        if (tls.isPresent()) {
            try {
                builder.sslContext(tls.get().grpcContext());
            } catch (SSLException e) {
                throw new IllegalArgumentException("Cannot set up TLS for " + connection.name() + ": "
                        + e.getMessage(), e);
            }
        } else {
            builder.usePlaintext();
        }
        this.channel = builder.build();
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                // HTTP/1.1: an h2c upgrade attempt on plain HTTP costs a round trip (as ConnectionCheck found).
                .version(HttpClient.Version.HTTP_1_1);
        if (tls.isPresent()) {
            try {
                client.sslContext(tls.get().jdkContext());
            } catch (GeneralSecurityException e) {
                channel.shutdownNow();
                throw new IllegalArgumentException("Cannot set up TLS for " + connection.name() + ": "
                        + e.getMessage(), e);
            }
        }
        this.http = client.build();
    }

    /** The admin API, every call carrying the token. */
    AdminServiceGrpc.AdminServiceStub admin() {
        return stub(AdminServiceGrpc::newStub);
    }

    /** A stub of any service on the server's gRPC port, every call carrying the token. */
    public <S extends AbstractStub<S>> S stub(Function<Channel, S> newStub) {
        S stub = newStub.apply(channel);
        return token.isPresent() ? stub.withCallCredentials(new BearerToken(token.get())) : stub;
    }

    /** A REST request to {@code path} with the token. */
    public HttpRequest.Builder rest(String path, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(restBase() + path)).timeout(timeout);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    public HttpClient http() {
        return http;
    }

    public String restBase() {
        return connection.address().toString();
    }

    public String adminAddress() {
        return connection.address().getHost() + ":" + connection.adminPort();
    }

    public LoadTargets loadTargets() {
        return new LoadTargets(restBase(), OptionalInt.of(connection.adminPort()), tls, token);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bearer token as gRPC call credentials: one header per call. */
    private static final class BearerToken extends CallCredentials {

        private final String token;

        BearerToken(String token) {
            this.token = token;
        }

        @Override
        public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            applier.apply(headers);
        }
    }
}
