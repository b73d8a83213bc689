package dev.servedeck.console.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.testing.ConsoleUnderTest;
import dev.servedeck.console.testing.RemoteTestServer;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.testfx.api.FxRobot;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ServerPageTest} against a headless server in another process, managed over its admin API with TLS and a token:
 * the same test, the console's remote backend.
 */
class RemoteServerPageTest extends ServerPageTest {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withDemoModels();

    @Override
    protected ConsoleUnderTest openOn(Stage stage) {
        return ConsoleUnderTest.openRemote(stage, SERVER, RemoteTestServer.ADMIN_TOKEN, dataDir);
    }

    /** Not the console's process: Start and Stop are off, and the page says why. */
    @Override
    protected void stopsAndStarts(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#stop").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#backendNotice").queryAs(Label.class).getText())
                .startsWith("Managing edge-test (https://localhost:")
                .contains("its process is started and stopped on its own machine");
        assertThat(console.backend().stop()).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("edge-test runs on its own machine: start and stop it there");
        assertThat(console.backend().status().running()).isTrue();
    }
}
