package dev.servedeck.console.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.ConsoleComposition;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.shell.Themes;
import dev.servedeck.console.testing.Screenshots;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The console opened with {@code --server} before the admin API: no embedded server, the connection named in the
 * status bar and on the Connections page, a clear notice above every page, Start and Stop disabled, and every page
 * opens without a crash.
 */
@ExtendWith(ApplicationExtension.class)
class RemoteConsoleTest {

    @TempDir
    static Path dataDir;

    private final Preferences node = Preferences.userRoot().node("/dev/servedeck/test/" + UUID.randomUUID());
    private ConsoleComposition composition;
    private final EmbeddedBackend embedded = new EmbeddedBackend();

    @Start
    void start(Stage stage) {
        Connection edge = new Connection("command-line", "edge-3:8501", URI.create("https://edge-3:8501"),
                Optional.empty(), Optional.empty());
        Themes.apply(false);
        ConnectionContext connections = new ConnectionContext(edge, Optional.of("file-token"),
                () -> new SessionSecretStore("tests"));
        // As the application does with --server: the embedded server is made only if opened (the Fleet page does).
        composition = new ConsoleComposition(new ConnectionBackends(() -> embedded, connections),
                new ConsolePreferences(node),
                new ServerSettings("127.0.0.1", 0, 0, true, new ModelSource.Demo(dataDir), dataDir.resolve("logs")),
                dataDir, Themes::apply, connections);
        stage.setScene(composition.createScene());
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        composition.close();
        embedded.close();
        node.removeNode();
    }

    @Test
    void showsTheConnectionAndSaysRemoteManagementArrivesWithTheAdminApi(FxRobot robot) throws Exception {
        Label notice = robot.lookup("#backendNotice").queryAs(Label.class);
        assertThat(notice.isVisible()).isTrue();
        assertThat(notice.getText()).startsWith("Connected to edge-3:8501 (https://edge-3:8501). Remote management"
                + " arrives in a coming version of the console");
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#serverState").queryAs(Label.class).getText()
                .startsWith("edge-3:8501: "));

        robot.clickOn("#nav-server");
        assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#stop").queryAs(Button.class).isDisabled()).isTrue();

        robot.clickOn("#nav-models");
        assertThat(robot.lookup("#basePathNote").queryAs(Label.class).getText())
                .startsWith("Base paths are folders on edge-3:8501's machine");
        assertThat(robot.lookup("#browse").queryAs(Button.class).isDisabled()).isTrue();

        for (Page page : Page.values()) {
            robot.clickOn("#nav-" + page.name().toLowerCase());
        }
        robot.clickOn("#nav-connections");
        ListView<Connection> list = robot.lookup("#list").queryListView();
        assertThat(list.getItems()).extracting(Connection::name).containsExactly("Embedded server", "edge-3:8501");
        assertThat(robot.lookup("#managed").queryAs(Label.class).getText())
                .startsWith("This console manages: edge-3:8501 (https://edge-3:8501)");
        asyncFx(() -> Screenshots.save(robot.lookup("#root").query().getScene(), "remote-console")).get();
    }
}
