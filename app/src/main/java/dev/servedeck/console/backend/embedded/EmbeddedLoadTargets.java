package dev.servedeck.console.backend.embedded;

import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.VersionChoice;
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
 * The load engine's targets for the embedded server: its REST base URL and gRPC port, trusting exactly the
 * certificate it serves (as the console's own HTTP client does) and presenting the console's client certificate
 * when the server verifies clients.
 */
final class EmbeddedLoadTargets {

    /** Event loop threads for REST load: two, like the benchmark's wrk runs (the server shares the cores). */
    private static final int REST_THREADS = 2;

    private final String restBase;
    private final OptionalInt grpcPort;
    private final Optional<ClientTls> tls;

    EmbeddedLoadTargets(String restBase, OptionalInt grpcPort, Optional<X509Certificate> served,
            Optional<PemIdentity> identity) {
        this.restBase = restBase;
        this.grpcPort = grpcPort;
        this.tls = served.map(certificate -> {
            ClientTls trust = ClientTls.trusting(List.of(certificate));
            return identity.isPresent() ? trust.withIdentity(identity.get()) : trust;
        });
    }

    LoadTarget rest(LoadSpec spec) throws IOException {
        return RestLoadTarget.create(URI.create(restBase + spec.restPath()),
                spec.body().getBytes(StandardCharsets.UTF_8), null, tls.orElse(null), REST_THREADS,
                PredictBodyRows.of(spec.body()));
    }

    LoadTarget grpc(LoadSpec spec, List<SignatureInfo> signatures) throws IOException, InterruptedException {
        if (grpcPort.isEmpty()) {
            throw new IllegalStateException("The server has no gRPC port: start it with one to send gRPC load");
        }
        URI base = URI.create(restBase);
        GrpcEndpoint endpoint = new GrpcEndpoint(base.getHost(), grpcPort.getAsInt(), tls.orElse(null), null);
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
