package dev.servedeck.console.backend.tfserving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.ConsoleComposition;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionBackends;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.SessionSecretStore;
import dev.servedeck.console.models.ModelRow;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.shell.Themes;
import dev.servedeck.console.testing.Screenshots;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The console opened on a server without the admin API, through the application's own factory (which asks the
 * server for its admin API and gets UNIMPLEMENTED): the reduced mode's notice above every page, the models the
 * connection names with their states, and the Models page's changes disabled with the reason until the server's
 * model config file is opened.
 */
@ExtendWith(ApplicationExtension.class)
class TfServingConsoleTest {

    @TempDir
    static Path temp;
    static TfServingTestServer server;

    private final Preferences node = Preferences.userRoot().node("/dev/servedeck/test/" + UUID.randomUUID());
    private final EmbeddedBackend embedded = new EmbeddedBackend();
    private ConsoleComposition composition;

    @BeforeAll
    static void startServer() throws Exception {
        server = TfServingTestServer.start(temp, false);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Start
    void start(Stage stage) {
        Connection edge = server.connection(List.of("half_plus_two"), true);
        Themes.apply(false);
        ConnectionContext connections = new ConnectionContext(edge, Optional.empty(),
                () -> new SessionSecretStore("tests"));
        composition = new ConsoleComposition(new ConnectionBackends(() -> embedded, connections),
                new ConsolePreferences(node), new ServerSettings("127.0.0.1", 0, 0, true,
                        new ModelSource.Demo(temp.resolve("demo")), temp.resolve("logs")),
                temp, Themes::apply, connections);
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
    void theModelsPageShowsTheReducedModeAndDisablesChangesUntilTheConfigIsKnown(FxRobot robot) throws Exception {
        Label notice = robot.lookup("#backendNotice").queryAs(Label.class);
        assertThat(notice.getText()).startsWith("Plain TensorFlow Serving: reduced mode")
                .contains("charts from http://127.0.0.1:" + server.restPort + "/monitoring/prometheus/metrics");

        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#serverState").queryAs(Label.class).getText()
                .equals("tfs-edge: Running") || robot.lookup("#serverState").queryAs(Label.class).getText()
                .startsWith("tfs-edge: state unknown"));
        assertThat(robot.lookup("#heap").queryAllAs(Label.class)).extracting(Label::getText)
                .as("the status bar and the Server page: TF Serving reports no heap").contains("Heap –")
                .allMatch(text -> text.endsWith("–"));
        robot.clickOn("#nav-models");
        TreeTableView<ModelRow> tree = robot.lookup("#tree").queryAs(TreeTableView.class);
        waitFor(20, TimeUnit.SECONDS, () -> tree.getRoot() != null && tree.getRoot().getChildren().stream()
                .map(TreeItem::getValue).anyMatch(row -> row.model().equals("half_plus_two")));
        waitFor(20, TimeUnit.SECONDS, () -> tree.getRoot().getChildren().get(0).getChildren().stream()
                .map(TreeItem::getValue).anyMatch(row -> row.state().contains("AVAILABLE")));

        Label changes = robot.lookup("#modelChangesNote").queryAs(Label.class);
        assertThat(changes.isVisible()).isTrue();
        assertThat(changes.getText()).startsWith("TensorFlow Serving cannot return its model config");
        assertThat(robot.lookup("#addModel").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#saveConfig").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("half_plus_two");
        assertThat(robot.lookup("#removeModel").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#openConfig").queryAs(Button.class).isDisabled())
                .as("opening the server's config file is how the console learns it").isFalse();
        asyncFx(() -> Screenshots.save(robot.lookup("#root").query().getScene(), "tfserving-models")).get();

        robot.clickOn("#nav-batching");
        assertThat(robot.lookup("#apply").queryAs(Button.class).isDisabled()).isTrue();
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#readOnlyNote").queryAs(Label.class).getText()
                .startsWith("TensorFlow Serving fixes its batching when it starts and does not report it"));
    }
}
