package dev.servedeck.console.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ConsoleBackendModelsContract;
import dev.servedeck.console.testing.RemoteTestServer;
import dev.servedeck.console.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConsoleBackendModelsContract} through the real remote backend, on one headless server in another process
 * (TLS, a token) for the class: each test starts from the server's first config, applied again over the admin API
 * (its text sent from the file here). Base paths are folders on the server's machine; this test's folders are.
 */
class RemoteBackendModelsTest extends ConsoleBackendModelsContract {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withModels(RemoteBackendModelsTest::writeHp2);
    private static RemoteBackend remote;

    /** hp2 versions 1 to 3 in the server's folder, with the default policy: the config file. */
    private static Path writeHp2(Path folder) throws java.io.IOException {
        Path base = TestModels.halfPlusTwo(folder.resolve("hp2"), 1, 2, 3);
        return Files.writeString(folder.resolve("hp2.config"), """
                model_config_list {
                  config {
                    name: "hp2"
                    base_path: "%s"
                    model_platform: "tensorflow"
                  }
                }
                """.formatted(base.toAbsolutePath()));
    }

    @BeforeAll
    static void connect() throws Exception {
        remote = SERVER.connectBackend();
    }

    @AfterAll
    static void disconnect() {
        if (remote != null) {
            remote.close();
        }
    }

    @BeforeEach
    void servingHp2Only() throws Exception {
        backend = remote;
        await(remote.openModelConfig(SERVER.modelConfig()));
    }

    /**
     * The remote backend reads the models again after each change, and once per burst of the server's events, not
     * once per version state as the embedded one does: at least once per operation, with the change in place.
     */
    @Test
    @Override
    protected void modelsChangedFiresOnEveryOperation() throws Exception {
        List<List<Long>> seen = new CopyOnWriteArrayList<>();
        try (var subscription = backend.onModelsChanged(() -> seen.add(available("hp2")))) {
            await(backend.loadVersion("hp2", 2));
            assertThat(seen).contains(List.of(2L, 3L));
            int afterLoad = seen.size();

            await(backend.unloadVersion("hp2", 2));
            assertThat(seen.size()).isGreaterThan(afterLoad);
            assertThat(seen.subList(afterLoad, seen.size())).contains(List.of(3L));
        }
    }

    @Override
    protected Path hp2BasePath() {
        return SERVER.folder().resolve("hp2");
    }
}
