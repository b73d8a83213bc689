package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.HttpJsonClient.Reply;
import dev.servedeck.core.testing.TfServingTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The headless server over real HTTP with real TensorFlow on TensorFlow Serving's own test models,
 * checked against the answers TF Serving gives (../shared/testdata/tf-serving/README.md).
 */
class TfServingRestCompatibilityTest {

    private static ModelServer server;
    private static HttpJsonClient client;

    @BeforeAll
    static void startServer() {
        Path data = TfServingTestData.root();
        String config = """
                model_config_list {
                  config { name: "default" base_path: "%1$s/saved_model_half_plus_two_cpu" model_platform: "tensorflow" }
                  config { name: "half_plus_three" base_path: "%1$s/saved_model_half_plus_three" }
                  config { name: "latest" base_path: "%1$s/saved_model_half_plus_two_2_versions" }
                  config {
                    name: "all" base_path: "%1$s/saved_model_half_plus_two_2_versions"
                    model_version_policy { all {} }
                    version_labels { key: "stable" value: 123 }
                    version_labels { key: "canary" value: 124 }
                  }
                  config {
                    name: "specific" base_path: "%1$s/saved_model_half_plus_two_2_versions"
                    model_version_policy { specific { versions: 123 } }
                  }
                  config { name: "counter" base_path: "%1$s/saved_model_counter" }
                  config { name: "bad" base_path: "%1$s/bad_half_plus_two" }
                }
                """.formatted(data);
        server = ModelServer.start(
                new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                        Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.empty(), Duration.ZERO),
                ModelServerConfigFile.parse(config, "test config"));
        client = new HttpJsonClient(server.restPort().orElseThrow());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void predictRowFormat() {
        Reply reply = client.post("/v1/models/default:predict", "{\"instances\": [2.0, 3.0, 4.0]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"predictions\": [3.0, 3.5, 4.0]}"));
    }

    @Test
    void predictColumnarFormat() {
        Reply reply = client.post("/v1/models/default:predict", "{\"inputs\": [2.0, 3.0, 4.0]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"outputs\": [3.0, 3.5, 4.0]}"));
    }

    @Test
    void predictWithBatchDimension() {
        Reply reply = client.post("/v1/models/default:predict", "{\"instances\": [[1.0], [-2.0]]}");
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"predictions\": [[2.5], [1.0]]}"));
    }

    @Test
    void classify() {
        Reply reply = client.post("/v1/models/default:classify",
                "{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"results\": [[[\"\", 3.0]]]}"));
    }

    @Test
    void regress() {
        Reply reply = client.post("/v1/models/default:regress",
                "{\"signature_name\": \"regress_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"results\": [3.0]}"));
    }

    @Test
    void regressWithContext() {
        Reply reply = client.post("/v1/models/default:regress",
                "{\"signature_name\": \"regress_x_to_y\", \"context\": {\"x\": 4.0}, \"examples\": [{}, {}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"results\": [4.0, 4.0]}"));
    }

    @Test
    void status() {
        Reply reply = client.get("/v1/models/default");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("""
                {"model_version_status": [{"version": "123", "state": "AVAILABLE",
                  "status": {"error_code": "OK", "error_message": ""}}]}"""));
    }

    @Test
    void metadataMatchesTfServing() throws Exception {
        JsonNode expected = HttpJsonClient.parse(
                Files.readString(TfServingTestData.root().resolve("half_plus_two_model_metadata.json")));
        Reply reply = client.get("/v1/models/default/metadata");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(expected);
    }

    @Test
    void twoVersionsMetadataMatchesTfServing() throws Exception {
        JsonNode expected = HttpJsonClient.parse(Files.readString(
                TfServingTestData.root().resolve("saved_model_half_plus_two_2_versions_metadata.json")));
        String version = expected.path("model_spec").path("version").asText();
        Reply reply = client.get("/v1/models/all/versions/" + version + "/metadata");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("metadata")).isEqualTo(expected.path("metadata"));
    }

    @Test
    void halfPlusThreeLoadsDespiteItsLegacySignature() {
        Reply reply = client.post("/v1/models/half_plus_three:predict", "{\"instances\": [1.0, 2.0]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(HttpJsonClient.parse("{\"predictions\": [3.5, 4.0]}"));
    }

    @Test
    void latestPolicyServesOnlyTheNewestVersion() {
        Reply status = client.get("/v1/models/latest");
        assertThat(status.body().path("model_version_status")).hasSize(1);
        assertThat(status.body().path("model_version_status").get(0).path("version").asText()).isEqualTo("124");
        assertThat(client.post("/v1/models/latest/versions/123:predict", "{\"instances\": [1.0]}").status())
                .isEqualTo(404);
    }

    @Test
    void allPolicyServesBothVersionsAndLabels() {
        Reply status = client.get("/v1/models/all");
        assertThat(status.body().path("model_version_status")).hasSize(2);
        for (String path : new String[] {"/v1/models/all/versions/123", "/v1/models/all/versions/124",
            "/v1/models/all/labels/stable", "/v1/models/all/labels/canary"}) {
            Reply reply = client.post(path + ":predict", "{\"instances\": [1.0]}");
            assertThat(reply.status()).as(path).isEqualTo(200);
        }
        assertThat(client.get("/v1/models/all/labels/stable").body().path("model_version_status").get(0)
                .path("version").asText()).isEqualTo("123");
        assertThat(client.get("/v1/models/all/labels/canary").body().path("model_version_status").get(0)
                .path("version").asText()).isEqualTo("124");
    }

    @Test
    void specificPolicyServesTheNamedVersion() {
        Reply status = client.get("/v1/models/specific");
        assertThat(status.body().path("model_version_status").get(0).path("version").asText()).isEqualTo("123");
    }

    @Test
    void badModelFailsCleanlyWhileTheOthersServe() {
        Reply status = client.get("/v1/models/bad");
        assertThat(status.status()).isEqualTo(200);
        JsonNode version = status.body().path("model_version_status").get(0);
        assertThat(version.path("state").asText()).isEqualTo("END");
        assertThat(version.path("status").path("error_code").asText()).isNotEqualTo("OK");
        assertThat(version.path("status").path("error_message").asText()).isNotBlank();
        assertThat(client.post("/v1/models/bad:predict", "{\"instances\": [1.0]}").status()).isIn(404, 503);
        assertThat(client.post("/v1/models/default:predict", "{\"instances\": [1.0]}").status()).isEqualTo(200);
    }

    @Test
    void pathsAreCaseInsensitive() {
        Reply reply = client.post("/V1/Models/default:PREDICT", "{\"instances\": [2.0]}");
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void unknownModelVersionAndLabelAreNotFound() {
        assertThat(client.post("/v1/models/nope:predict", "{\"instances\": [1.0]}").status()).isEqualTo(404);
        assertThat(client.post("/v1/models/default/versions/999:predict", "{\"instances\": [1.0]}").status())
                .isEqualTo(404);
        assertThat(client.post("/v1/models/all/labels/nope:predict", "{\"instances\": [1.0]}").status())
                .isEqualTo(404);
        assertThat(client.get("/v1/models/nope").status()).isEqualTo(404);
        assertThat(client.get("/v1/models/default/versions/999").status()).isEqualTo(404);
    }

    @Test
    void badInputIsRejectedClearly() {
        Reply malformed = client.post("/v1/models/default:predict", "{\"instances\": [1.0,");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).isNotBlank();

        Reply wrongType = client.post("/v1/models/default:predict", "{\"instances\": [\"a\"]}");
        assertThat(wrongType.status()).isEqualTo(400);

        Reply ragged = client.post("/v1/models/default:predict", "{\"instances\": [[1.0, 2.0], [3.0]]}");
        assertThat(ragged.status()).isEqualTo(400);
        assertThat(ragged.error()).isNotBlank();

        Reply unknownSignature = client.post("/v1/models/default:predict",
                "{\"signature_name\": \"nope\", \"instances\": [1.0]}");
        assertThat(unknownSignature.status()).isBetween(400, 499);
        assertThat(unknownSignature.error()).contains("nope");

        Reply unknownInput = client.post("/v1/models/default:predict", "{\"inputs\": {\"zz\": [1.0]}}");
        assertThat(unknownInput.status()).isEqualTo(400);

        Reply bothFormats = client.post("/v1/models/default:predict", "{\"inputs\": [1.0], \"instances\": [1.0]}");
        assertThat(bothFormats.status()).isEqualTo(400);

        byte[] big = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        Reply oversized = client.post("/v1/models/default:predict", new String(big));
        assertThat(oversized.status()).isEqualTo(413);

        // ...and the server goes on serving.
        assertThat(client.post("/v1/models/default:predict", "{\"instances\": [2.0]}").status()).isEqualTo(200);
    }
}
