package dev.servedeck.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's rollout under load: version 124 (TF Serving's half_plus_three, answering 4.0 for 2.0) copied
 * beside version 123 (half_plus_two, 3.0) the way {@code cp}, {@code scp} or a sync tool copies on a slow
 * disk: the graph first, a pause of seconds, then the variables; then the old folder is removed. Eight
 * clients predict all along, over real HTTP, against real TensorFlow: not one request may fail, the
 * half-copied version must wait (and say what for) rather than load, and the server must end on the new
 * version's answers.
 */
class PausedCopyRolloutTest {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSE = Duration.ofSeconds(3);
    private static final Duration SECOND_PAUSE = Duration.ofSeconds(1);
    private static final String DATA = "variables/variables.data-00000-of-00001";
    private static final String INDEX = "variables/variables.index";

    @TempDir
    Path temp;

    @Test
    void graphThenDataThenIndex() throws Exception {
        rollOut((from, to, client) -> {
            copy(from, to, "assets/foo.txt");
            copy(from, to, DATA);
            Thread.sleep(SECOND_PAUSE.toMillis());
            awaitStatus(client, "waiting for " + INDEX);
            copy(from, to, INDEX);
        });
    }

    @Test
    void graphThenIndexThenDataInTwoPartsThenAssets() throws Exception {
        rollOut((from, to, client) -> {
            copy(from, to, INDEX);
            byte[] data = Files.readAllBytes(from.resolve(DATA));
            Files.write(to.resolve(DATA), Arrays.copyOf(data, 6));
            Thread.sleep(SECOND_PAUSE.toMillis());
            awaitStatus(client, "waiting for " + DATA + " to be complete (6 of 12 bytes)");
            Files.write(to.resolve(DATA), Arrays.copyOfRange(data, 6, data.length), StandardOpenOption.APPEND);
            copy(from, to, "assets/foo.txt");
        });
    }

    private void rollOut(VariablesCopy variablesCopy) throws Exception {
        Path base = Files.createDirectories(temp.resolve("model"));
        TestFolders.copy(TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"), base.resolve("123"));
        Path from = TfServingTestData.version("saved_model_half_plus_three", "00000123");
        Path to = base.resolve("124");
        String config = "model_config_list { config { name: \"m\" base_path: \"" + base + "\" } }";
        try (ModelServer server = ModelServer.start(new ModelServerOptions(
                ServerCoreOptions.defaults().withFileSystemPollWait(POLL),
                Optional.of(new RestOptions("127.0.0.1", 0, 4, Duration.ofSeconds(30), false, 1 << 20)),
                Optional.empty(), POLL), ModelServerConfigFile.parse(config, "test"))) {
            HttpJsonClient client = new HttpJsonClient(server.restPort().orElseThrow());
            List<ServableState> events = new CopyOnWriteArrayList<>();
            Instant copied;
            try (AutoCloseable subscription = server.core().states().subscribe(events::add);
                    PredictLoad load = new PredictLoad(server.restPort().orElseThrow(), "/v1/models/m:predict", 8,
                            Set.of(3.0, 4.0))) {
                Await.until(() -> load.succeeded() > 50, Duration.ofSeconds(10));

                copy(from, to, "saved_model.pb");
                awaitStatus(client, "waiting for " + INDEX);
                Thread.sleep(PAUSE.toMillis());
                assertThat(state(client, 123)).isEqualTo("AVAILABLE");
                assertThat(load.answers()).as("only the old version answers while the copy pauses").containsExactly(3.0);
                variablesCopy.copy(from, to, client);
                copied = Instant.now();

                Await.until(() -> "AVAILABLE".equals(state(client, 124)), Duration.ofSeconds(30));
                TestFolders.delete(base.resolve("123"));
                Await.until(() -> "END".equals(state(client, 123)), Duration.ofSeconds(30));
                load.clearAnswers();
                int beforeEnd = load.succeeded();
                Await.until(() -> load.succeeded() > beforeEnd + 100, Duration.ofSeconds(10));

                load.stop();
                assertThat(load.failures()).as("failed requests during the rollout").isEmpty();
                assertThat(load.answers()).as("the new version's answers at the end").containsExactly(4.0);
            }
            assertThat(events).as("no version failed to load").noneMatch(ServableState::failed);
            assertThat(events).filteredOn(event -> event.id().version() == 124 && event.state() == ManagerState.LOADING)
                    .as("version 124 loaded once, after its copy finished")
                    .singleElement().satisfies(loading -> assertThat(loading.time()).isAfter(copied));
        }
    }

    /** Copies the rest of a version folder after its graph, in some order, checking the status on the way. */
    @FunctionalInterface
    private interface VariablesCopy {
        void copy(Path from, Path to, HttpJsonClient client) throws Exception;
    }

    /** Copies one file of a version folder. */
    private static void copy(Path from, Path to, String file) throws IOException {
        Files.createDirectories(to.resolve(file).getParent());
        Files.write(to.resolve(file), Files.readAllBytes(from.resolve(file)));
    }

    /** Waits until GET /v1/models/m says version 124 is in START, waiting for what {@code reason} says. */
    private static void awaitStatus(HttpJsonClient client, String reason) throws InterruptedException {
        Await.until(() -> {
            JsonNode version = version(client, 124);
            return "START".equals(version.path("state").asText())
                    && "OK".equals(version.path("status").path("error_code").asText())
                    && reason.equals(version.path("status").path("error_message").asText());
        }, Duration.ofSeconds(10));
    }

    private static String state(HttpJsonClient client, long version) {
        return version(client, version).path("state").asText();
    }

    private static JsonNode version(HttpJsonClient client, long version) {
        for (JsonNode status : client.get("/v1/models/m").body().path("model_version_status")) {
            if (status.path("version").asText().equals(Long.toString(version))) {
                return status;
            }
        }
        return MissingNode.getInstance();
    }
}
