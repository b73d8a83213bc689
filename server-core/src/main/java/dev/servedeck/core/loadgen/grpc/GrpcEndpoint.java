package dev.servedeck.core.loadgen.grpc;

import dev.servedeck.core.tls.ClientTls;
import dev.servedeck.proto.apis.GetModelMetadataRequest;
import dev.servedeck.proto.apis.GetModelMetadataResponse;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.apis.SignatureDefMap;
import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A gRPC server to load: its address, how to trust it (null for plaintext) and the bearer token to send.
 */
public record GrpcEndpoint(String host, int port, ClientTls tls, String bearerToken) {

    /** Large answers (a model's whole output) must not fail a run: the server bounds what it sends. */
    private static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;
    /** grpc-java's default window (1 MiB), fixed. */
    private static final int FLOW_CONTROL_WINDOW = 1 << 20;
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** {@code host:port}; TLS when {@code tls} is given. */
    public static GrpcEndpoint parse(String hostAndPort, ClientTls tls, String bearerToken) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("a gRPC target is host:port, not '" + hostAndPort + "'");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new GrpcEndpoint(host, Integer.parseInt(hostAndPort.substring(colon + 1)), tls, bearerToken);
    }

    /** A new channel (one HTTP/2 connection); answers are delivered on its event loop (direct executor). */
    public ManagedChannel open() throws SSLException {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port)
                .directExecutor()
                // A load generator counts what the server answers: a transparent retry would hide an error (and
                // its buffering costs every call).
                .disableRetry()
                // A fixed window turns off grpc-java's flow-control auto-tuning, whose BDP pings cost the client
                // and the server frames that h2load (and most clients sending small messages) never send.
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .maxInboundMessageSize(MAX_ANSWER_BYTES);
        if (tls == null) {
            builder.usePlaintext();
        } else {
            builder.sslContext(tls.grpcContext());
        }
        return builder.build();
    }

    /** The headers every call sends (the bearer token), fresh per call since grpc-java adds its own to them. */
    public Metadata headers() {
        Metadata headers = new Metadata();
        if (bearerToken != null && !bearerToken.isEmpty()) {
            headers.put(AUTHORIZATION, "Bearer " + bearerToken);
        }
        return headers;
    }

    /** The model's SignatureDefs, from GetModelMetadata. {@code version} null for the latest. */
    public Map<String, org.tensorflow.proto.SignatureDef> signatureDefs(String model, Long version)
            throws IOException {
        ManagedChannel channel = open();
        try {
            ModelSpec.Builder spec = ModelSpec.newBuilder().setName(model);
            if (version != null) {
                spec.setVersion(Int64Value.of(version));
            }
            GetModelMetadataResponse answer = PredictionServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers()))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(spec)
                            .addMetadataField("signature_def").build());
            return answer.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class).getSignatureDefMap();
        } catch (StatusRuntimeException e) {
            throw new IOException("cannot read the signatures of " + model + " from " + host + ":" + port + ": "
                    + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("the model metadata of " + model + " is not a SignatureDefMap", e);
        } finally {
            channel.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return (tls == null ? "" : "tls ") + host + ":" + port;
    }
}
