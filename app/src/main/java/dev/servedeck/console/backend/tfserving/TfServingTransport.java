package dev.servedeck.console.backend.tfserving;

import dev.servedeck.console.connections.Connection;
import dev.servedeck.core.tls.ClientTls;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The one place the TF Serving backend's connections are built: the gRPC channel to TF Serving's services (the
 * connection's CA, the bearer token on every call), the HTTP client of its REST API and Prometheus endpoint with
 * the same TLS and token. The gRPC port is the connection's ({@link Connection#adminPort()}: TF Serving's 8500 beside
 * 8501 unless given). Holds Netty's event loop: close it.
 *
 * <p>Until the RemoteBackend's own transport is on main this class keeps the same shape, so that swapping it for
 * that one (which adds the client certificate) is one edit in {@link TfServingBackend}.
 */
final class TfServingTransport implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final Optional<String> token;
    private final Optional<ClientTls> tls;
    private final ManagedChannel channel;
    private final HttpClient http;

    TfServingTransport(Connection connection, Optional<String> token) {
        if (connection.clientCert().isPresent()) {
            throw new IllegalArgumentException("Client certificates to a plain TensorFlow Serving are not supported"
                    + " yet by this console: remove the client certificate of " + connection.name());
        }
        this.connection = connection;
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
        try {
            this.tls = connection.usesTls() ? Optional.of(connection.caCert().isPresent()
                    ? ClientTls.trusting(connection.caCert().get()) : ClientTls.trustingPublicRoots())
                    : Optional.empty();
            NettyChannelBuilder builder = NettyChannelBuilder.forAddress(connection.address().getHost(), grpcPort())
                    // A gone server must show at once; the backend polls again on its own.
                    .disableRetry()
                    .maxInboundMessageSize(64 << 20);
            if (tls.isPresent()) {
                builder.sslContext(tls.get().grpcContext());
            } else {
                builder.usePlaintext();
            }
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    // HTTP/1.1: an h2c upgrade attempt on plain HTTP costs a round trip.
                    .version(HttpClient.Version.HTTP_1_1);
            if (tls.isPresent()) {
                client.sslContext(tls.get().jdkContext());
            }
            this.http = client.build();
            this.channel = builder.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot set up TLS for " + connection.name() + ": " + e.getMessage(), e);
        }
    }

    /** A stub on the channel, every call carrying the token. */
    <S extends AbstractStub<S>> S withToken(S stub) {
        return token.isPresent() ? stub.withCallCredentials(new BearerToken(token.get())) : stub;
    }

    ManagedChannel channel() {
        return channel;
    }

    /** A request to {@code url} (the REST API's or the Prometheus endpoint's) with the token. */
    HttpRequest.Builder request(URI url, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    HttpClient http() {
        return http;
    }

    String restBase() {
        return connection.address().toString();
    }

    int grpcPort() {
        return connection.adminPort();
    }

    Optional<ClientTls> tls() {
        return tls;
    }

    Optional<String> token() {
        return token;
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
