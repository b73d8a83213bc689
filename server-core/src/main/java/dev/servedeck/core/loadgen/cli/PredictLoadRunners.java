package dev.servedeck.core.loadgen.cli;

import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.body.BinaryInferBody;
import dev.servedeck.core.loadgen.body.JsonInferRequest;
import dev.servedeck.core.loadgen.body.JsonPredictRequest;
import dev.servedeck.core.loadgen.body.PredictBodyRows;
import dev.servedeck.core.loadgen.body.RestSignatures;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.core.loadgen.grpc.GrpcLoadTarget;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.Signatures;
import dev.servedeck.core.tls.ClientTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Load as the command line's tools take it (a REST URL or a gRPC address, a model, TF Serving's API or the Open
 * Inference Protocol, a body file or the model's signature, the client flags): read once, each run then on its own
 * connections. Used by {@code bench} (one run, or a sweep's levels) and {@code tune} (every step's levels).
 */
public final class PredictLoadRunners {

    private PredictLoadRunners() {
    }

    /**
     * @param url a Predict (or v2 infer) URL, or the server's base URL with {@code model}
     * @param protocol v1 or v2; null for v1 or what the URL says
     * @param body a body file, or null to build one from the model's signature (read over REST)
     * @param binary v2 only: tensors as bytes both ways
     * @param threads event loop threads
     */
    public static LoadRunner rest(String url, String model, Long version, ServingProtocol protocol, Path body,
            boolean binary, String bearer, ClientOptions client, int threads) throws Exception {
        RestPredictUrl target = RestPredictUrl.of(url, model, version, protocol);
        boolean https = "https".equalsIgnoreCase(target.base().getScheme());
        ClientTls tls = client.tls(https);
        String json;
        if (body != null) {
            json = Files.readString(body, StandardCharsets.UTF_8);
        } else if (target.model() == null) {
            throw new IllegalArgumentException("--body is needed when the URL names no model");
        } else {
            List<SignatureInfo> signatures = Signatures.describe(RestSignatures.fetch(target.base(), target.model(),
                    target.version(), https ? tls.jdkContext() : null, bearer));
            json = target.protocol() == ServingProtocol.V2 ? LoadRequestBody.inferBody(signatures)
                    : LoadRequestBody.predictBody(signatures);
        }
        int rows = PredictBodyRows.of(json);
        if (binary) {
            if (target.protocol() != ServingProtocol.V2) {
                throw new IllegalArgumentException("--binary needs --protocol v2");
            }
            BinaryInferBody encoded = BinaryInferBody.of(json);
            Map<String, String> headers = Map.of(BinaryInferBody.HEADER_LENGTH, Integer.toString(encoded.jsonLength()));
            return plan -> LoadRun.start(RestLoadTarget.create(target.predict(), encoded.bytes(),
                    "application/octet-stream", headers, bearer, tls, threads, rows), plan);
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return plan -> LoadRun.start(RestLoadTarget.create(target.predict(), bytes, bearer, tls, threads, rows), plan);
    }

    /**
     * @param hostAndPort the server's gRPC port
     * @param protocol v1 (PredictionService/Predict) or v2 (ModelInfer); null for v1
     * @param body a body file in the protocol's REST JSON, or null to build one from the model's signature
     * @param connections HTTP/2 connections, or null for {@link GrpcLoadTarget#defaultConnections} of each plan
     */
    public static LoadRunner grpc(String hostAndPort, String model, Long version, ServingProtocol protocol, Path body,
            boolean binary, String bearer, ClientOptions client, Integer connections) throws Exception {
        if (model == null) {
            throw new IllegalArgumentException("--grpc needs --model");
        }
        if (binary) {
            throw new IllegalArgumentException("--binary is for REST: gRPC v2 always sends raw_input_contents");
        }
        GrpcEndpoint endpoint = GrpcEndpoint.parse(hostAndPort, client.tls(false), bearer);
        List<SignatureInfo> signatures = Signatures.describe(endpoint.signatureDefs(model, version));
        boolean v2 = protocol == ServingProtocol.V2;
        String json = body != null ? Files.readString(body, StandardCharsets.UTF_8)
                : v2 ? LoadRequestBody.inferBody(signatures) : LoadRequestBody.predictBody(signatures);
        int rows = PredictBodyRows.of(json);
        if (v2) {
            var request = JsonInferRequest.of(json, model, version == null ? "" : version.toString());
            return plan -> LoadRun.start(GrpcLoadTarget.create(endpoint, request, channels(connections, plan.concurrency()),
                    rows), plan);
        }
        var request = JsonPredictRequest.of(json, model, version, signatures);
        return plan -> LoadRun.start(GrpcLoadTarget.create(endpoint, request, channels(connections, plan.concurrency()),
                rows), plan);
    }

    private static int channels(Integer connections, int concurrency) {
        return connections != null ? connections : GrpcLoadTarget.defaultConnections(concurrency);
    }
}
