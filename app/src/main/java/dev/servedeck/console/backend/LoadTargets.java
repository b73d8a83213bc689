package dev.servedeck.console.backend;

import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.core.loadgen.body.JsonInferRequest;
import dev.servedeck.core.loadgen.body.JsonPredictRequest;
import dev.servedeck.core.loadgen.body.PredictBodyRows;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.grpc.GrpcLoadTarget;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.tls.ClientTls;
import dev.servedeck.core.tls.PemIdentity;
import dev.servedeck.proto.apis.PredictRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The load engine's targets for the managed server, as an outside client loads it: its REST base URL and gRPC
 * port, its TLS (the embedded server: exactly the certificate it serves; a remote one: the connection's CA and
 * client certificate) and the bearer token a remote server wants. Both backends build their load here.
 */
public final class LoadTargets {

    /** Event loop threads for REST load: two, like the benchmark's wrk runs (the server shares the cores). */
    private static final int REST_THREADS = 2;

    private final String restBase;
    private final OptionalInt grpcPort;
    private final Optional<ClientTls> tls;
    private final Optional<String> bearerToken;

    /**
     * @param restBase e.g. {@code https://edge-3:8501}; gRPC goes to the same host
     * @param tls how to trust the server (and what to present), empty for plain text
     * @param bearerToken sent with every request, when the server wants one
     */
    public LoadTargets(String restBase, OptionalInt grpcPort, Optional<ClientTls> tls, Optional<String> bearerToken) {
        this.restBase = restBase;
        this.grpcPort = grpcPort;
        this.tls = tls;
        this.bearerToken = bearerToken;
    }

    /** The embedded server's targets: trust exactly the certificate it serves, present the console's own. */
    public static LoadTargets ofEmbedded(String restBase, OptionalInt grpcPort, Optional<X509Certificate> served,
            Optional<PemIdentity> identity) {
        return new LoadTargets(restBase, grpcPort, served.map(certificate -> {
            ClientTls trust = ClientTls.trusting(List.of(certificate));
            return identity.isPresent() ? trust.withIdentity(identity.get()) : trust;
        }), Optional.empty());
    }

    public LoadTarget rest(LoadSpec spec) throws IOException {
        return RestLoadTarget.create(URI.create(restBase + spec.restPath()),
                spec.body().getBytes(StandardCharsets.UTF_8), bearerToken.orElse(null), tls.orElse(null), REST_THREADS,
                PredictBodyRows.of(spec.body()));
    }

    public LoadTarget grpc(LoadSpec spec, List<SignatureInfo> signatures) throws IOException, InterruptedException {
        if (grpcPort.isEmpty()) {
            throw new IllegalStateException("The server has no gRPC port: start it with one to send gRPC load");
        }
        URI base = URI.create(restBase);
        GrpcEndpoint endpoint = new GrpcEndpoint(base.getHost(), grpcPort.getAsInt(), tls.orElse(null),
                bearerToken.orElse(null));
        Long version = spec.version() instanceof VersionChoice.Number number ? number.version() : null;
        if (spec.api().openInference()) {
            return GrpcLoadTarget.create(endpoint,
                    JsonInferRequest.of(spec.body(), spec.model(), version == null ? "" : version.toString()),
                    GrpcLoadTarget.defaultConnections(spec.plan().concurrency()), PredictBodyRows.of(spec.body()));
        }
        PredictRequest request = JsonPredictRequest.of(spec.body(), spec.model(), version, signatures);
        if (spec.version() instanceof VersionChoice.Label label) {
            request = request.toBuilder()
                    .setModelSpec(request.getModelSpec().toBuilder().setVersionLabel(label.label()))
                    .build();
        }
        return GrpcLoadTarget.create(endpoint, request,
                GrpcLoadTarget.defaultConnections(spec.plan().concurrency()), PredictBodyRows.of(spec.body()));
    }
}
