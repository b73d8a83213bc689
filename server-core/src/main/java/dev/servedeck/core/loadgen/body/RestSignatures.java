package dev.servedeck.core.loadgen.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.servedeck.proto.apis.SignatureDefMap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.tensorflow.proto.SignatureDef;

/**
 * A model's SignatureDefs from the REST API's metadata ({@code GET /v1/models/m/metadata}): one request before
 * a run, so the JDK's HTTP client is enough here.
 */
public final class RestSignatures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RestSignatures() {
    }

    /**
     * @param base the server, e.g. {@code http://127.0.0.1:8501}
     * @param version null for the latest
     * @param tls for https, or null
     * @param bearerToken or null
     */
    public static Map<String, SignatureDef> fetch(URI base, String model, Long version, SSLContext tls,
            String bearerToken) throws IOException, InterruptedException {
        URI metadata = base.resolve("/v1/models/" + model + (version == null ? "" : "/versions/" + version)
                + "/metadata");
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            client.sslContext(tls);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(30)).GET();
        if (bearerToken != null && !bearerToken.isEmpty()) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<String> answer = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("GET " + metadata + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return parse(answer.body(), "GET " + metadata);
    }

    /**
     * The SignatureDefs of a REST metadata answer's body (TF Serving's JSON form of {@code SignatureDefMap}).
     *
     * @param what names the answer in an error
     */
    public static Map<String, SignatureDef> parse(String metadataBody, String what) throws IOException {
        JsonNode signatureDefs = JSON.readTree(metadataBody).path("metadata").path("signature_def");
        if (signatureDefs.isMissingNode()) {
            throw new IOException(what + " answered without metadata.signature_def");
        }
        SignatureDefMap.Builder map = SignatureDefMap.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(JSON.writeValueAsString(signatureDefs), map);
        return map.getSignatureDefMap();
    }
}
