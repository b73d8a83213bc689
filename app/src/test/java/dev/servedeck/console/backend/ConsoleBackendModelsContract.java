package dev.servedeck.console.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.console.testing.TestModels;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model operations of the console's port against a real server serving real SavedModels (half_plus_two,
 * versions 1 to 3, as "hp2" with the default policy), checked through {@code models()} and the real REST API. Run on
 * the embedded backend ({@code embedded.EmbeddedBackendModelsTest}) and on the remote one to a server in another
 * process with TLS and a token ({@code remote.RemoteBackendModelsTest}): a subclass's {@code @BeforeEach} sets
 * {@link #backend} to a backend on a server serving hp2 and nothing else. The folders the tests write under
 * {@link #dir} are on this machine, which is the remote server's machine too.
 */
public abstract class ConsoleBackendModelsContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    protected Path dir;

    /** Serving hp2 only, as the server started, linked. */
    protected ConsoleBackend backend;

    /** hp2's base path, as the server sees it. */
    protected abstract Path hp2BasePath();

    @Test
    protected void addModelServesTheVersionsItsPolicyChooses() throws Exception {
        Path other = TestModels.halfPlusTwo(dir.resolve("other"), 4, 5, 6);

        await(backend.addModel("other", other, new ServableVersionPolicy.Latest(2)));

        ModelEntry model = model("other");
        assertThat(model.basePath()).isEqualTo(other.toAbsolutePath());
        assertThat(PolicyText.of(model.policy())).isEqualTo("latest 2");
        assertThat(available("other")).containsExactly(5L, 6L);
        assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("hp2", "other");
        assertThat(predict("other", 4.0)).isEqualTo(4.0);
    }

    @Test
    protected void addModelRefusesADuplicateNameAndAMissingFolder() {
        assertThat(failureOf(backend.addModel("hp2", hp2BasePath(), new ServableVersionPolicy.All())))
                .contains("already served");
        assertThat(failureOf(backend.addModel("ghost", dir.resolve("nowhere"), new ServableVersionPolicy.All())))
                .contains("is not a folder");
        assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("hp2");
    }

    @Test
    protected void loadAndUnloadChangeTheAvailableVersions() throws Exception {
        assertThat(available("hp2")).containsExactly(3L);

        await(backend.loadVersion("hp2", 1));
        assertThat(available("hp2")).containsExactly(1L, 3L);
        assertThat(PolicyText.of(model("hp2").policy())).isEqualTo("specific 1, 3");

        await(backend.unloadVersion("hp2", 3));
        assertThat(available("hp2")).containsExactly(1L);
        awaitState("hp2", 3, ManagerState.END);
        assertThat(PolicyText.of(model("hp2").policy())).isEqualTo("specific 1");
        assertThat(predictStatus("/v1/models/hp2/versions/3:predict")).isEqualTo(404);
        assertThat(predictStatus("/v1/models/hp2/versions/1:predict")).isEqualTo(200);

        await(backend.loadVersion("hp2", 3));
        assertThat(available("hp2")).containsExactly(1L, 3L);
    }

    @Test
    protected void policyChangesApplyAtOnce() throws Exception {
        await(backend.setVersionPolicy("hp2", new ServableVersionPolicy.All()));
        assertThat(available("hp2")).containsExactly(1L, 2L, 3L);
        assertThat(PolicyText.of(model("hp2").policy())).isEqualTo("all");

        await(backend.setVersionPolicy("hp2", new ServableVersionPolicy.Specific(new TreeSet<>(List.of(2L)))));
        assertThat(available("hp2")).containsExactly(2L);

        await(backend.setVersionPolicy("hp2", new ServableVersionPolicy.Latest(2)));
        assertThat(available("hp2")).containsExactly(2L, 3L);
    }

    @Test
    protected void labelsMoveAndTheRestApiFollowsThem() throws Exception {
        await(backend.setVersionPolicy("hp2", new ServableVersionPolicy.All()));

        await(backend.setLabel("hp2", "stable", 2));
        assertThat(model("hp2").labels()).isEqualTo(Map.of("stable", 2L));
        assertThat(versionAnsweredFor("/v1/models/hp2/labels/stable")).isEqualTo("2");

        await(backend.setLabel("hp2", "stable", 3));
        await(backend.setLabel("hp2", "canary", 1));
        assertThat(model("hp2").labels()).isEqualTo(Map.of("stable", 3L, "canary", 1L));
        assertThat(versionAnsweredFor("/v1/models/hp2/labels/stable")).isEqualTo("3");
        assertThat(versionAnsweredFor("/v1/models/hp2/labels/canary")).isEqualTo("1");

        await(backend.removeLabel("hp2", "canary"));
        assertThat(model("hp2").labels()).isEqualTo(Map.of("stable", 3L));
        assertThat(rest("/v1/models/hp2/labels/canary").statusCode()).isEqualTo(404);
        assertThat(backend.modelConfigText()).contains("stable").doesNotContain("canary");
    }

    @Test
    protected void aLabelOnAnUnavailableVersionIsRefusedAndLeavesTheServerUsable() throws Exception {
        assertThat(failureOf(backend.setLabel("hp2", "canary", 1)))
                .contains("canary").contains("not currently available");
        assertThat(model("hp2").labels()).isEmpty();
        assertThat(backend.modelConfigText()).doesNotContain("canary");

        // Later operations must not trip over the refused label.
        await(backend.loadVersion("hp2", 1));
        assertThat(available("hp2")).containsExactly(1L, 3L);
        await(backend.setLabel("hp2", "canary", 1));
        assertThat(versionAnsweredFor("/v1/models/hp2/labels/canary")).isEqualTo("1");
    }

    @Test
    protected void aLabelledVersionIsNotUnloadedUntilItsLabelMoves() throws Exception {
        await(backend.loadVersion("hp2", 2));
        await(backend.setLabel("hp2", "stable", 3));

        assertThat(failureOf(backend.unloadVersion("hp2", 3))).contains("stable").contains("version 3");
        assertThat(failureOf(backend.setVersionPolicy("hp2", new ServableVersionPolicy.Specific(new TreeSet<>(List.of(2L))))))
                .contains("stable").contains("version 3");
        assertThat(available("hp2")).containsExactly(2L, 3L);

        await(backend.setLabel("hp2", "stable", 2));
        await(backend.unloadVersion("hp2", 3));
        assertThat(available("hp2")).containsExactly(2L);
        assertThat(versionAnsweredFor("/v1/models/hp2/labels/stable")).isEqualTo("2");
    }

    @Test
    protected void unknownModelsAndVersionsAreRefusedWithClearMessages() {
        assertThat(failureOf(backend.loadVersion("nope", 1))).contains("No model named 'nope'");
        assertThat(failureOf(backend.unloadVersion("nope", 1))).contains("No model named 'nope'");
        assertThat(failureOf(backend.removeModel("nope"))).contains("No model named 'nope'");
        assertThat(failureOf(backend.setLabel("nope", "stable", 1))).contains("No model named 'nope'");
        assertThat(failureOf(backend.setVersionPolicy("nope", new ServableVersionPolicy.All())))
                .contains("No model named 'nope'");
        assertThat(failureOf(backend.loadVersion("hp2", 9))).contains("has no version folder").contains("9");
        assertThat(failureOf(backend.unloadVersion("hp2", 1))).contains("Version 1 of hp2 is not being served");
        assertThat(failureOf(backend.removeLabel("hp2", "stable"))).contains("has no label 'stable'");
        assertThat(available("hp2")).containsExactly(3L);
    }

    @Test
    protected void theSavedConfigParsesAndAnOpenedConfigReplacesTheModels() throws Exception {
        await(backend.loadVersion("hp2", 2));
        await(backend.setLabel("hp2", "stable", 2));
        Path saved = dir.resolve("saved.config");

        await(backend.saveModelConfig(saved));

        var config = ModelServerConfigFile.read(saved);
        assertThat(config.getModelConfigList().getConfigList()).hasSize(1);
        var hp2 = config.getModelConfigList().getConfig(0);
        assertThat(hp2.getName()).isEqualTo("hp2");
        assertThat(Path.of(hp2.getBasePath())).isEqualTo(hp2BasePath().toAbsolutePath());
        assertThat(hp2.getModelVersionPolicy().getSpecific().getVersionsList()).containsExactly(2L, 3L);
        assertThat(hp2.getVersionLabelsMap()).isEqualTo(Map.of("stable", 2L));
        assertThat(Files.readString(saved)).isEqualTo(backend.modelConfigText());

        Path fresh = TestModels.halfPlusTwo(dir.resolve("fresh"), 7);
        Path other = dir.resolve("other.config");
        Files.writeString(other, """
                model_config_list {
                  config {
                    name: "fresh"
                    base_path: "%s"
                    model_platform: "tensorflow"
                  }
                }
                """.formatted(fresh.toAbsolutePath()));
        await(backend.openModelConfig(other));
        assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("fresh");
        assertThat(available("fresh")).containsExactly(7L);
        assertThat(predictStatus("/v1/models/hp2:predict")).isEqualTo(404);

        await(backend.openModelConfig(saved));
        assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("hp2");
        assertThat(available("hp2")).containsExactly(2L, 3L);
        assertThat(versionAnsweredFor("/v1/models/hp2/labels/stable")).isEqualTo("2");
    }

    @Test
    protected void aBrokenConfigFileIsRefusedAndTheModelsStay() throws Exception {
        Path broken = dir.resolve("broken.config");
        Files.writeString(broken, "model_config_list { config { name: \"x\" ");

        assertThat(failureOf(backend.openModelConfig(broken))).contains("Invalid model config file");
        assertThat(available("hp2")).containsExactly(3L);
    }

    @Test
    protected void removeModelStopsServingIt() throws Exception {
        await(backend.addModel("other", TestModels.halfPlusTwo(dir.resolve("other"), 1), new ServableVersionPolicy.All()));

        await(backend.removeModel("hp2"));

        assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("other");
        assertThat(predictStatus("/v1/models/hp2:predict")).isEqualTo(404);
        assertThat(predictStatus("/v1/models/other:predict")).isEqualTo(200);
    }

    @Test
    protected void anOpenedConfigWithALabelOnAMissingVersionServesItsModelsWithoutThatLabel() throws Exception {
        Path fresh = TestModels.halfPlusTwo(dir.resolve("fresh"), 7);
        Path file = dir.resolve("labels.config");
        Files.writeString(file, """
                model_config_list {
                  config {
                    name: "fresh"
                    base_path: "%s"
                    model_platform: "tensorflow"
                    version_labels { key: "stable" value: 7 }
                    version_labels { key: "broken" value: 9 }
                  }
                }
                """.formatted(fresh.toAbsolutePath()));

        assertThat(failureOf(backend.openModelConfig(file))).contains("broken").contains("not currently available")
                .contains("without the labels");

        assertThat(available("fresh")).containsExactly(7L);
        assertThat(model("fresh").labels()).isEqualTo(Map.of("stable", 7L));
        assertThat(backend.modelConfigText()).contains("stable").doesNotContain("broken");
        assertThat(versionAnsweredFor("/v1/models/fresh/labels/stable")).isEqualTo("7");
        await(backend.setVersionPolicy("fresh", new ServableVersionPolicy.All()));
    }

    @Test
    protected void modelsChangedFiresOnEveryOperation() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (var subscription = backend.onModelsChanged(calls::incrementAndGet)) {
            await(backend.loadVersion("hp2", 2));
        }
        // At least: START, LOADING, AVAILABLE of version 2, and the end of the operation.
        assertThat(calls.get()).isGreaterThanOrEqualTo(4);
    }

    // ---- helpers ----

    protected static void await(CompletableFuture<Void> operation) throws Exception {
        operation.get(2, TimeUnit.MINUTES);
    }

    protected static String failureOf(CompletableFuture<?> operation) {
        try {
            operation.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            return Failures.message(e);
        }
        return fail("expected the operation to fail");
    }

    protected ModelEntry model(String name) {
        return backend.models().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no model " + name + " in " + backend.models()));
    }

    protected List<Long> available(String name) {
        return model(name).versions().stream().filter(v -> v.state() == ManagerState.AVAILABLE)
                .map(VersionEntry::version).toList();
    }

    /** Unloading finishes after the operation (in-flight requests drain first): wait for it. */
    private void awaitState(String name, long version, ManagerState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ManagerState state = null;
        while (System.nanoTime() < deadline) {
            state = model(name).versions().stream().filter(v -> v.version() == version).findFirst()
                    .orElseThrow().state();
            if (state == wanted) {
                return;
            }
            Thread.sleep(20);
        }
        fail(name + " version " + version + " stayed " + state + ", expected " + wanted);
    }

    protected int predictStatus(String path) throws Exception {
        return backend.sendRest(RestCall.post(path, "{\"instances\": [[1.0]]}")).get(30, TimeUnit.SECONDS).statusCode();
    }

    private RestReply rest(String path) throws Exception {
        return backend.sendRest(RestCall.get(path)).get(30, TimeUnit.SECONDS);
    }

    private String versionAnsweredFor(String path) throws Exception {
        RestReply reply = rest(path);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode statuses = JSON.readTree(reply.body()).get("model_version_status");
        assertThat(statuses).hasSize(1);
        assertThat(statuses.get(0).get("state").asText()).isEqualTo("AVAILABLE");
        return statuses.get(0).get("version").asText();
    }

    protected double predict(String name, double x) throws Exception {
        RestReply reply = backend.sendRest(RestCall.post("/v1/models/" + name + ":predict",
                "{\"instances\": [[" + x + "]]}")).get(30, TimeUnit.SECONDS);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body()).get("predictions").get(0).get(0).asDouble();
    }
}
