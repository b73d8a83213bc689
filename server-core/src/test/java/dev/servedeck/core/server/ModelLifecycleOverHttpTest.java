package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.testing.Await;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.PredictLoad;
import dev.servedeck.core.testing.TestFolders;
import dev.servedeck.core.testing.TfServingTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions and models coming and going on disk and in the config file while clients keep calling: real
 * folders, real polling, real TensorFlow, real HTTP. No request may fail during a swap.
 */
class ModelLifecycleOverHttpTest {

    private static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    Path temp;

    @Test
    void hotAddAndRemoveOfAVersionFolderFailsNoRequest() throws Exception {
        Path twoVersions = TfServingTestData.model("saved_model_half_plus_two_2_versions");
        Path base = Files.createDirectories(temp.resolve("model"));
        TestFolders.copy(twoVersions.resolve("00000123"), base.resolve("123"));
        String config = "model_config_list { config { name: \"m\" base_path: \"" + base + "\" } }";
        try (ModelServer server = start(ModelServerConfigFile.parse(config, "test"), Optional.empty())) {
            List<ServableState> events = new CopyOnWriteArrayList<>();
            try (AutoCloseable subscription = server.core().states().subscribe(events::add);
                    PredictLoad load = new PredictLoad(server.restPort().orElseThrow(), "/v1/models/m:predict", 3,
                            Set.of(3.0))) {
                // A slow, file-by-file copy: the half-written folder must not be loaded before it is complete.
                copyTreeSlowly(twoVersions.resolve("00000124"), base.resolve("124"), Duration.ofMillis(150));
                Await.until(() -> availableVersions(server, "m").equals(List.of(124L)), Duration.ofSeconds(30));
                int beforeRemoval = load.succeeded();

                TestFolders.delete(base.resolve("124"));
                Await.until(() -> availableVersions(server, "m").equals(List.of(123L)), Duration.ofSeconds(30));
                Await.until(() -> load.succeeded() > beforeRemoval + 20, Duration.ofSeconds(10));

                load.stop();
                assertThat(load.failures()).as("failed requests during the swaps").isEmpty();
                assertThat(load.succeeded()).isGreaterThan(50);
            }
            assertThat(events).as("no version ever failed to load")
                    .noneMatch(ServableState::failed);
            assertThat(events).anyMatch(e -> e.id().version() == 124 && e.state() == ManagerState.AVAILABLE);
            assertThat(events).anyMatch(e -> e.id().version() == 124 && e.state() == ManagerState.END);
        }
    }

    @Test
    void aModelWhoseLastVersionFolderVanishesKeepsServingItUntilANewVersionIsAvailable() throws Exception {
        Path twoVersions = TfServingTestData.model("saved_model_half_plus_two_2_versions");
        Path base = Files.createDirectories(temp.resolve("model"));
        TestFolders.copy(twoVersions.resolve("00000123"), base.resolve("123"));
        String config = "model_config_list { config { name: \"m\" base_path: \"" + base + "\" } }";
        try (ModelServer server = start(ModelServerConfigFile.parse(config, "test"), Optional.empty());
                PredictLoad load = new PredictLoad(server.restPort().orElseThrow(), "/v1/models/m:predict", 2,
                        Set.of(3.0))) {
            HttpJsonClient client = new HttpJsonClient(server.restPort().orElseThrow());
            Await.until(() -> load.succeeded() > 10, Duration.ofSeconds(10));

            // An NFS mount that lists empty, a deleted folder: TF Serving would unload 123 and serve nothing.
            TestFolders.delete(base.resolve("123"));
            Thread.sleep(POLL.toMillis() * 5);
            int afterRemoval = load.succeeded();
            Await.until(() -> load.succeeded() > afterRemoval + 20, Duration.ofSeconds(10));
            assertThat(availableVersions(server, "m")).containsExactly(123L);
            assertThat(client.get("/v1/health").status()).isEqualTo(200);

            TestFolders.copy(twoVersions.resolve("00000124"), base.resolve("124"));
            Await.until(() -> availableVersions(server, "m").equals(List.of(124L)), Duration.ofSeconds(30));
            load.stop();
            assertThat(load.failures()).as("failed requests while the folder was gone").isEmpty();
        }
    }

    @Test
    void configFileReloadAddsAndRemovesModelsAndSurvivesABrokenFile() throws Exception {
        Path halfPlusTwo = TfServingTestData.model("saved_model_half_plus_two_cpu");
        Path halfPlusThree = TfServingTestData.model("saved_model_half_plus_three");
        Path file = temp.resolve("models.config");
        Files.writeString(file, "model_config_list { config { name: \"a\" base_path: \"" + halfPlusTwo + "\" } }");
        try (ModelServer server = start(ModelServerConfigFile.read(file), Optional.of(file))) {
            HttpJsonClient client = new HttpJsonClient(server.restPort().orElseThrow());
            assertThat(client.post("/v1/models/a:predict", "{\"instances\": [2.0]}").status()).isEqualTo(200);

            Files.writeString(file, "model_config_list { config { name: \"b\" base_path: \"" + halfPlusThree + "\" } }");
            Await.until(() -> client.post("/v1/models/b:predict", "{\"instances\": [2.0]}").status() == 200,
                    Duration.ofSeconds(30));
            Await.until(() -> client.post("/v1/models/a:predict", "{\"instances\": [2.0]}").status() == 404,
                    Duration.ofSeconds(30));
            assertThat(client.get("/v1/models/a").body().path("model_version_status").get(0).path("state").asText())
                    .isEqualTo("END");

            Files.writeString(file, "model_config_list { this is not a config");
            Thread.sleep(POLL.toMillis() * 4);
            assertThat(client.post("/v1/models/b:predict", "{\"instances\": [2.0]}").body())
                    .isEqualTo(HttpJsonClient.parse("{\"predictions\": [4.0]}"));
            assertThat(server.core().config().getModelConfigList().getConfig(0).getName()).isEqualTo("b");
        }
    }

    @Test
    void labelsMustPointAtAvailableVersions() {
        Path twoVersions = TfServingTestData.model("saved_model_half_plus_two_2_versions");
        String config = "model_config_list { config { name: \"m\" base_path: \"" + twoVersions
                + "\" version_labels { key: \"stable\" value: 123 } } }";
        // Only 124 loads under the default latest policy, so the label points nowhere.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> start(ModelServerConfigFile.parse(config, "test"), Optional.empty()).close())
                .hasMessageContaining("stable");
    }

    @Test
    void aReloadWithARefusedLabelKeepsTheOldLabelsInTheConfigInForce() {
        Path twoVersions = TfServingTestData.model("saved_model_half_plus_two_2_versions");
        String good = "model_config_list { config { name: \"m\" base_path: \"" + twoVersions
                + "\" model_version_policy { all {} } version_labels { key: \"stable\" value: 123 } } }";
        String badLabel = "model_config_list { config { name: \"m\" base_path: \"" + twoVersions
                + "\" model_version_policy { all {} } version_labels { key: \"stable\" value: 999 } } }";
        try (ModelServer server = start(ModelServerConfigFile.parse(good, "test"), Optional.empty())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> server.core().reloadConfig(ModelServerConfigFile.parse(badLabel, "test")))
                    .hasMessageContaining("stable");

            assertThat(server.core().config().getModelConfigList().getConfig(0).getVersionLabelsMap())
                    .as("the refused label is not in force").containsExactly(java.util.Map.entry("stable", 123L));
            assertThat(server.core().versionLabels("m")).containsExactly(java.util.Map.entry("stable", 123L));
            // ...so the next reload starts from a config that applies.
            server.core().reloadConfig(server.core().config());
        }
    }

    private static List<Long> availableVersions(ModelServer server, String model) {
        return server.core().status(ModelSpec.latest(model)).stream()
                .filter(state -> state.state() == ManagerState.AVAILABLE)
                .map(state -> state.id().version())
                .toList();
    }

    private static ModelServer start(dev.servedeck.proto.config.ModelServerConfig config, Optional<Path> file) {
        return ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(POLL),
                Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                file, POLL), config);
    }

    private static void copyTreeSlowly(Path from, Path to, Duration pause) throws IOException, InterruptedException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
                Thread.sleep(pause.toMillis());
            }
        }
    }
}
