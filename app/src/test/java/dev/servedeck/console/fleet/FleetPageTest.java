package dev.servedeck.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.ConsoleComposition;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.SessionSecretStore;
import dev.servedeck.console.models.ModelRow;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.shell.Themes;
import dev.servedeck.console.testing.RemoteTestServer;
import dev.servedeck.console.testing.Screenshots;
import dev.servedeck.ui.StyleClasses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeTableRow;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Fleet page in the real console (the application's composition, a real scene) with four real servers (three
 * in this process, one in another process behind TLS and a token, managed through the remote backend): what the
 * table shows, one server stopped mid-test (its row says so and is coloured, the others unaffected), the other
 * process killed (unreachable, red), a server nobody can open shown unreachable, and a click that makes another
 * server the managed one: the Models page then shows that server's models.
 */
@ExtendWith(ApplicationExtension.class)
class FleetPageTest {

    @TempDir
    static Path dir;

    /** A fifth server, in another process with TLS and a token, managed through the real remote backend. */
    @RegisterExtension
    static final RemoteTestServer REMOTE = RemoteTestServer.withDemoModels();

    private static FleetServers servers;
    private final Preferences node = Preferences.userRoot().node("/dev/servedeck/test/" + UUID.randomUUID());
    private ConsoleComposition composition;
    private Stage stage;

    @BeforeAll
    static void startServers() throws Exception {
        servers = new FleetServers(dir).withRemote(REMOTE); // off the FX thread: three servers load TensorFlow models
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ConsolePreferences preferences = new ConsolePreferences(node);
        servers.saveConnections(new ConnectionStore(preferences.connectionsNode()));
        Themes.apply(false);
        composition = new ConsoleComposition(servers.factory(), preferences,
                new ServerSettings("127.0.0.1", 0, 0, false, new ModelSource.Demo(dir), dir.resolve("logs")), dir,
                Themes::apply, new ConnectionContext(Connection.EMBEDDED, Optional.empty(),
                        () -> new SessionSecretStore("GUI tests keep secrets in memory")));
        stage.setScene(composition.createScene());
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        asyncFx(() -> new ArrayList<>(Window.getWindows()).stream().filter(window -> window != stage)
                .forEach(Window::hide)).get(10, TimeUnit.SECONDS);
        composition.close();
        node.removeNode();
    }

    @Test
    void showsEveryServerOneStoppedAndOneKilledMidTestAndOpensAnotherOnClick(FxRobot robot) throws Exception {
        robot.clickOn("#nav-fleet");
        waitFor(60, TimeUnit.SECONDS, () -> "Running".equals(cell(robot, "Embedded server", "state"))
                && "Running".equals(cell(robot, "edge-b", "state")) && "Running".equals(cell(robot, "edge-c", "state"))
                && "Running".equals(cell(robot, "edge-test", "state"))
                && cell(robot, "edge-b", "problems").startsWith("a version failed to load"));

        assertThat(names(robot)).containsExactly("Embedded server  ●", "edge-b", "edge-c", "edge-test", "gone");
        assertThat(cell(robot, "Embedded server", "models")).isEqualTo("1");
        assertThat(cell(robot, "Embedded server", "available")).isEqualTo("1");
        assertThat(cell(robot, "edge-b", "models")).isEqualTo("2");
        assertThat(cell(robot, "edge-b", "available")).isEqualTo("2");
        assertThat(cell(robot, "edge-c", "available")).isEqualTo("1");
        assertThat(cell(robot, "edge-test", "models")).isEqualTo("2");
        assertThat(cell(robot, "edge-test", "available")).isEqualTo("2");
        assertThat(cell(robot, "edge-test", "memory")).as("the server process's, from its admin API").endsWith(" MiB");
        assertThat(cell(robot, "Embedded server", "cpu")).endsWith("%");
        assertThat(cell(robot, "Embedded server", "memory")).endsWith(" MiB");
        assertThat(cell(robot, "gone", "state")).isEqualTo("–");
        assertThat(cell(robot, "gone", "problems")).startsWith("unreachable: Cannot open a backend for gone");

        assertThat(rowClasses(robot, "Embedded server")).doesNotContain(StyleClasses.FLEET_ROW_ERROR,
                StyleClasses.FLEET_ROW_WARNING).contains(StyleClasses.FLEET_ROW_MANAGED);
        assertThat(rowClasses(robot, "edge-b")).contains(StyleClasses.FLEET_ROW_ERROR);
        assertThat(rowClasses(robot, "edge-c")).doesNotContain(StyleClasses.FLEET_ROW_ERROR,
                StyleClasses.FLEET_ROW_WARNING);
        assertThat(rowClasses(robot, "gone")).contains(StyleClasses.FLEET_ROW_ERROR);
        // Traffic on two servers for a few seconds, so the trends and the screenshot show something.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < until) {
            FleetServers.predict(servers.embedded, "alpha", 3);
            FleetServers.predict(servers.c, "charlie", 1);
            Thread.sleep(20);
        }
        assertThat(cell(robot, "Embedded server", "p99")).matches("\\d+\\.\\d");
        asyncFx(() -> Screenshots.save(robot.lookup("#root").query().getScene(), "fleet")).get();

        // edge-c stops while the page watches it.
        servers.c.stop().get(1, TimeUnit.MINUTES);
        waitFor(15, TimeUnit.SECONDS, () -> "Stopped".equals(cell(robot, "edge-c", "state")));
        assertThat(cell(robot, "edge-c", "problems")).isEqualTo("not ready: the server is stopped");
        assertThat(cell(robot, "edge-c", "rps")).isEqualTo("–");
        assertThat(rowClasses(robot, "edge-c")).contains(StyleClasses.FLEET_ROW_WARNING);
        assertThat(cell(robot, "Embedded server", "state")).isEqualTo("Running");
        assertThat(cell(robot, "edge-b", "state")).isEqualTo("Running");
        assertThat(rowClasses(robot, "Embedded server")).doesNotContain(StyleClasses.FLEET_ROW_ERROR,
                StyleClasses.FLEET_ROW_WARNING);
        assertThat(robot.lookup("#summary").queryAs(Label.class).getText())
                .isEqualTo("5 servers · 3 serving · 3 with problems · managed now: Embedded server");

        // The server in another process goes away (SIGTERM): its row says unreachable within seconds, in red.
        REMOTE.stopProcess();
        waitFor(20, TimeUnit.SECONDS, () -> cell(robot, "edge-test", "problems").startsWith("unreachable"));
        assertThat(rowClasses(robot, "edge-test")).contains(StyleClasses.FLEET_ROW_ERROR);
        assertThat(cell(robot, "edge-b", "state")).isEqualTo("Running");
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#summary").queryAs(Label.class).getText()
                .equals("5 servers · 2 serving · 4 with problems · managed now: Embedded server"));

        // A click on edge-b's row makes it the managed server; the Models page follows.
        robot.clickOn(row(robot, "edge-b"));
        waitFor(30, TimeUnit.SECONDS, () -> composition.activeServer().connection().equals(servers.edgeB));
        waitFor(10, TimeUnit.SECONDS, () -> cell(robot, "edge-b", "server").equals("edge-b  ●"));
        assertThat(cell(robot, "Embedded server", "server")).isEqualTo("Embedded server");
        robot.clickOn("#nav-models");
        waitFor(15, TimeUnit.SECONDS, () -> modelNames(robot).containsAll(List.of("bravo", "broken")));
        assertThat(modelNames(robot)).doesNotContain("alpha");
        assertThat(servers.embedded.status().running()).as("the embedded server keeps serving").isTrue();

        // Enter on the embedded server's row brings the console back to it.
        robot.clickOn("#nav-fleet");
        TableView<FleetRow> table = robot.lookup("#table").queryTableView();
        asyncFx(() -> {
            table.requestFocus();
            table.getSelectionModel().select(0);
        }).get(10, TimeUnit.SECONDS);
        robot.type(KeyCode.ENTER);
        waitFor(30, TimeUnit.SECONDS, () -> composition.activeServer().connection().equals(Connection.EMBEDDED));
        robot.clickOn("#nav-models");
        waitFor(15, TimeUnit.SECONDS, () -> modelNames(robot).equals(List.of("alpha")));
    }

    private static List<String> names(FxRobot robot) {
        TableView<FleetRow> table = robot.lookup("#table").queryTableView();
        List<String> names = new ArrayList<>();
        for (FleetRow row : table.getItems()) {
            names.add(row.connection().name() + (row.reading().managed() ? "  ●" : ""));
        }
        return names;
    }

    private static List<String> modelNames(FxRobot robot) {
        List<String> names = new ArrayList<>();
        for (Node node : robot.lookup(".tree-table-row-cell").queryAll()) {
            @SuppressWarnings("unchecked")
            TreeTableRow<ModelRow> row = (TreeTableRow<ModelRow>) node;
            if (row.getItem() != null && row.getItem().isModel()) {
                names.add(row.getItem().name());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static TableRow<FleetRow> row(FxRobot robot, String server) {
        for (Node node : robot.lookup("#table .table-row-cell").queryAll()) {
            TableRow<FleetRow> row = (TableRow<FleetRow>) node;
            if (row.getItem() != null && row.getItem().connection().name().equals(server)) {
                return row;
            }
        }
        throw new AssertionError("No row for " + server);
    }

    private static List<String> rowClasses(FxRobot robot, String server) {
        return List.copyOf(row(robot, server).getStyleClass());
    }

    /** The text a cell shows now (empty when the row is not drawn yet). */
    private static String cell(FxRobot robot, String server, String columnId) {
        for (Node node : robot.lookup("#table .table-row-cell").queryAll()) {
            TableRow<?> row = (TableRow<?>) node;
            if (!(row.getItem() instanceof FleetRow fleetRow) || !fleetRow.connection().name().equals(server)) {
                continue;
            }
            for (Node child : row.getChildrenUnmodifiable()) {
                if (child instanceof TableCell<?, ?> cell && cell.getTableColumn() != null
                        && columnId.equals(cell.getTableColumn().getId())) {
                    return cell.getText() == null ? "" : cell.getText();
                }
            }
        }
        return "";
    }
}
