package dev.servedeck.core.server;

import static dev.servedeck.core.server.OpenInferenceServers.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol's REST API through the whole server, over plain HTTP: probes, metadata, inference with
 * flat and nested JSON, versions, the {@code signature_name} parameter, the binary tensor extension both ways,
 * errors as {@code {"error": ...}} with their status, and tokens guarding all but the probes.
 */
class V2RestApiTest {

    @BeforeAll
    static void start() throws IOException {
        OpenInferenceServers.start();
    }

    @AfterAll
    static void stop() throws Exception {
        OpenInferenceServers.stop();
    }

    // ---- REST: health, metadata ----

    @Test
    void restHealthAndServerMetadata() throws Exception {
        assertThat(get(plain, "/v2/health/live")).isEqualTo(new Reply(200, json("{\"live\": true}")));
        assertThat(get(plain, "/v2/health/ready")).isEqualTo(new Reply(200, json("{\"ready\": true}")));
        Reply metadata = get(plain, "/v2");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body().get("name").asText()).isEqualTo("servedeck");
        assertThat(metadata.body().get("extensions")).containsExactly(JSON.getNodeFactory().textNode("binary_tensor_data"),
                JSON.getNodeFactory().textNode("model_repository"), JSON.getNodeFactory().textNode("statistics"));
    }

    @Test
    void restModelReadinessByModelAndVersion() throws Exception {
        assertThat(get(plain, "/v2/models/hp2/ready"))
                .isEqualTo(new Reply(200, json("{\"name\": \"hp2\", \"ready\": true}")));
        assertThat(get(plain, "/v2/models/two/versions/123/ready").status()).isEqualTo(200);
        Reply unknown = get(plain, "/v2/models/nope/ready");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").asText()).contains("nope");
        assertThat(get(plain, "/v2/models/two/versions/999/ready").status()).isEqualTo(404);
    }

    @Test
    void restModelMetadataDescribesTheDefaultSignatureInProtocolDatatypes() throws Exception {
        Reply metadata = get(plain, "/v2/models/two");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body()).isEqualTo(json("""
                {"name": "two", "versions": ["123", "124"], "platform": "tensorflow_savedmodel",
                 "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 1]}],
                 "outputs": [{"name": "y", "datatype": "FP32", "shape": [-1, 1]}]}
                """));
        assertThat(get(plain, "/v2/models/two/versions/123").status()).isEqualTo(200);
        assertThat(get(plain, "/v2/models/tf2").body().get("inputs").get(0).get("datatype").asText())
                .isEqualTo("FP32");
    }

    // ---- REST: inference ----

    @Test
    void restInferWithFlatAndNestedDataAndAnId() throws Exception {
        Reply flat = post(plain, "/v2/models/hp2/infer", """
                {"id": "req-1", "inputs": [{"name": "x", "shape": [3, 1], "datatype": "FP32", "data": [1.0, 2.0, 5.0]}]}
                """);
        assertThat(flat).isEqualTo(new Reply(200, json("""
                {"model_name": "hp2", "model_version": "123", "id": "req-1",
                 "outputs": [{"name": "y", "datatype": "FP32", "shape": [3, 1], "data": [2.5, 3.0, 4.5]}]}
                """)));
        Reply nested = post(plain, "/v2/models/tf2/infer", """
                {"inputs": [{"name": "x", "shape": [2, 1], "datatype": "FP32", "data": [[1.0], [2.0]]}]}
                """);
        assertThat(nested.status()).isEqualTo(200);
        assertThat(nested.body().get("outputs").get(0).get("data")).isEqualTo(json("[2.5, 3.0]"));
        assertThat(nested.body().has("id")).isFalse();
    }

    @Test
    void restInferOnAVersionAndWithAnotherSignature() throws Exception {
        Reply versioned = post(plain, "/v2/models/two/versions/123/infer", """
                {"inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP32", "data": [2.0]}]}
                """);
        assertThat(versioned.body().get("model_version").asText()).isEqualTo("123");
        assertThat(post(plain, "/v2/models/two/infer", """
                {"inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP32", "data": [2.0]}]}
                """).body().get("model_version").asText()).isEqualTo("124");
        // regress_x2_to_y3 (y3 = 0.5 * x2 + 3 in TF Serving's half_plus_two): input alias 'inputs', output 'outputs'.
        Reply other = post(plain, "/v2/models/hp2/infer", """
                {"parameters": {"signature_name": "regress_x2_to_y3"},
                 "inputs": [{"name": "inputs", "shape": [1, 1], "datatype": "FP32", "data": [2.0]}]}
                """);
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        assertThat(other.body().get("outputs").get(0).get("name").asText()).isEqualTo("outputs");
        assertThat(other.body().get("outputs").get(0).get("data").get(0).asDouble()).isEqualTo(4.0);
    }

    @Test
    void restInferWithIntegerAndBytesTensorsBothWays() throws Exception {
        Reply answer = post(plain, "/v2/models/multi/infer", """
                {"inputs": [
                   {"name": "features", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2, 3], [0.5, 0, 0]]},
                   {"name": "ids", "shape": [2], "datatype": "INT64", "data": [41, 9007199254740993]},
                   {"name": "text", "shape": [2], "datatype": "BYTES", "data": ["abc", "héllo"]}],
                 "outputs": [{"name": "shout"}, {"name": "next_ids"}, {"name": "text_length"}, {"name": "weighted"}]}
                """);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body().get("outputs")).isEqualTo(json("""
                [{"name": "shout", "datatype": "BYTES", "shape": [2], "data": ["ABC", "HéLLO"]},
                 {"name": "next_ids", "datatype": "INT64", "shape": [2], "data": [42, 9007199254740994]},
                 {"name": "text_length", "datatype": "INT32", "shape": [2], "data": [3, 6]},
                 {"name": "weighted", "datatype": "FP32", "shape": [2], "data": [321.0, 0.5]}]
                """));

        // The same BYTES input as binary data: each element a 4-byte little-endian length and its bytes.
        String header = """
                {"inputs": [
                   {"name": "features", "shape": [1, 3], "datatype": "FP32", "data": [0, 0, 1]},
                   {"name": "ids", "shape": [1], "datatype": "INT64", "data": [1]},
                   {"name": "text", "shape": [1], "datatype": "BYTES", "parameters": {"binary_data_size": 6}}],
                 "outputs": [{"name": "shout", "parameters": {"binary_data": true}}]}""";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(json);
        body.write(new byte[] {2, 0, 0, 0, 'o', 'k'});
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri(plain, "/v2/models/multi/infer"))
                .header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        int jsonLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        assertThat(java.util.Arrays.copyOfRange(response.body(), jsonLength, response.body().length))
                .containsExactly(2, 0, 0, 0, 'O', 'K');
    }

    @Test
    void restBinaryInputsAndOutputs() throws Exception {
        String header = """
                {"inputs": [{"name": "x", "shape": [3, 1], "datatype": "FP32", "parameters": {"binary_data_size": 12}}],
                 "outputs": [{"name": "y", "parameters": {"binary_data": true}}]}""";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(json);
        body.write(floats(1.0f, 2.0f, 5.0f));
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri(plain, "/v2/models/hp2/infer"))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode answer = JSON.readTree(new String(response.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(answer.get("outputs").get(0)).isEqualTo(json("""
                {"name": "y", "datatype": "FP32", "shape": [3, 1], "parameters": {"binary_data_size": 12}}
                """));
        ByteBuffer values = ByteBuffer.wrap(response.body(), jsonLength, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {values.getFloat(), values.getFloat(), values.getFloat()})
                .containsExactly(2.5f, 3.0f, 4.5f);
        assertThat(response.body()).hasSize(jsonLength + 12);
    }

    @Test
    void restBinaryDataOutputForEveryOutput() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri(plain, "/v2/models/hp2/infer"))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"parameters": {"binary_data_output": true},
                         "inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP32", "data": [4.0]}]}
                        """)).build(), HttpResponse.BodyHandlers.ofByteArray());
        int jsonLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        assertThat(ByteBuffer.wrap(response.body(), jsonLength, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat())
                .isEqualTo(4.0f);
    }

    @Test
    void restErrorsAreJsonWithTheMappedStatus() throws Exception {
        assertError(post(plain, "/v2/models/nope/infer", oneInput("FP32", "[1.0]")), 404, "nope");
        assertError(post(plain, "/v2/models/hp2/versions/7/infer", oneInput("FP32", "[1.0]")), 404, "7");
        assertError(post(plain, "/v2/models/hp2/versions/v1/infer", oneInput("FP32", "[1.0]")), 400,
                "not a version number");
        assertError(post(plain, "/v2/models/hp2/infer", oneInput("FP64", "[1.0]")), 400,
                "sent as FP64, but the signature declares FP32");
        assertError(post(plain, "/v2/models/hp2/infer", oneInput("FP33", "[1.0]")), 400, "unknown datatype 'FP33'");
        assertError(post(plain, "/v2/models/hp2/infer", oneInput("FP32", "[1.0, 2.0]")), 400,
                "has more values than its shape [1,1] holds");
        assertError(post(plain, "/v2/models/hp2/infer", oneInput("FP32", "[\"a\"]")), 400,
                "its data must be number values");
        assertError(post(plain, "/v2/models/hp2/infer", """
                {"inputs": [{"name": "z", "shape": [1], "datatype": "FP32", "data": [1.0]}]}
                """), 400, "Input 'z' is not an input of the signature; its inputs are [x]");
        assertError(post(plain, "/v2/models/hp2/infer", "{\"inputs\": ["), 400, "JSON Parse error");
        assertError(post(plain, "/v2/models/hp2/infer", """
                {"parameters": {"signature_name": "nope"},
                 "inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP32", "data": [1.0]}]}
                """), 400, "nope");
        Reply wrongMethod = get(plain, "/v2/models/hp2/infer");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(get(plain, "/v2/elsewhere").status()).isEqualTo(404);
    }

    // ---- tokens apply as to TF Serving's API ----

    @Test
    void tokensGuardInferenceButNotTheProbes() throws Exception {
        assertThat(get(guarded, "/v2/health/live").status()).isEqualTo(200);
        assertThat(get(guarded, "/v2/health/ready").status()).isEqualTo(200);
        assertThat(get(guarded, "/v2/models/hp2/ready").status()).isEqualTo(200);
        assertThat(post(guarded, "/v2/models/hp2/infer", oneInput("FP32", "[1.0]")).status()).isEqualTo(401);
        assertThat(get(guarded, "/v2/models/hp2").status()).isEqualTo(401);
        assertThat(send(guarded, HttpRequest.newBuilder(uri(guarded, "/v2/models/hp2/infer"))
                .header("Authorization", "Bearer " + PREDICTOR)
                .POST(HttpRequest.BodyPublishers.ofString(oneInput("FP32", "[1.0]")))).status()).isEqualTo(200);
    }
}
