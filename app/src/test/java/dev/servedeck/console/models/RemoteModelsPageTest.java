package dev.servedeck.console.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.testing.ConsoleUnderTest;
import dev.servedeck.console.testing.RemoteTestServer;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * {@link ModelsPageTest} against a headless server in another process, managed over its admin API with TLS and a
 * token. Each test starts from the server's first config (applied again over the admin API); warmup files, which
 * need the request bodies the server keeps in its own process, are off with the reason.
 */
class RemoteModelsPageTest extends ModelsPageTest {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withModels(ModelsPageTest::writeModels);

    @Override
    protected ConsoleUnderTest openOn(Stage stage, Path config) {
        return ConsoleUnderTest.openRemote(stage, SERVER, RemoteTestServer.ADMIN_TOKEN, dataDir)
                .resettingModelsTo(SERVER.modelConfig());
    }

    @Test
    @Override
    void savesRecentRequestsAsAVersionsWarmupFileAndAsksBeforeReplacingIt(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-models");
        waitUntil(() -> console.backend().models().stream().anyMatch(model -> model.name().equals(MODEL)));
        robot.clickOn(robot.lookup("#warmupPane .title").queryAs(Node.class));
        waitUntil(() -> text(robot, "#warmupNote").equals(BackendCapabilities.NO_WARMUP_WITHOUT_SHARED_FILES));
        assertThat(robot.lookup("#saveWarmupToVersion").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#saveWarmupToFile").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(console.backend().saveRecentRequestsAsWarmup(MODEL, SERVER.folder().resolve("warmup")))
                .failsWithin(java.time.Duration.ofSeconds(1)).withThrowableThat()
                .withMessageContaining("admin API sends none");
    }
}
