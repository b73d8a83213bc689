package dev.servedeck.console.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import dev.servedeck.console.testing.Screenshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * The Connections page in the real console: add a server that wants a token, test it with a wrong then a right
 * token, and find the token nowhere in the preferences.
 */
class ConnectionsPageTest extends DemoConsoleTest {

    @Test
    void addsAServerAndTestsItWithAWrongThenARightToken(FxRobot robot) throws Exception {
        try (HealthStub server = new HealthStub("right-token")) {
            robot.clickOn("#nav-connections");
            waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#list").queryListView().getItems().size() == 1);

            robot.clickOn("#add");
            robot.clickOn("#name").write("edge-stub");
            robot.clickOn("#address").write(server.address().toString());
            robot.clickOn("#token").write("wrong-token");
            robot.clickOn("#save");
            waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#notice").startsWith("Saved edge-stub"));
            assertThat(items(robot)).containsExactly("Embedded server", "edge-stub");

            robot.clickOn("#test");
            waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#failure").contains("/v1/health answered HTTP 401"));

            robot.clickOn("#edit");
            robot.clickOn("#token").write("right-token");
            robot.clickOn("#save");
            waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#notice").startsWith("Saved edge-stub"));
            robot.clickOn("#test");
            waitFor(15, TimeUnit.SECONDS, () -> text(robot, "#notice")
                    .startsWith("edge-stub: Reachable, plain HTTP (no TLS); /v1/health: ready"));
            assertThat(server.authorizations).containsExactly("Bearer wrong-token", "Bearer right-token");
            asyncFx(() -> Screenshots.save(console.scene(), "connections")).get();

            Preferences saved = console.composition().preferences().connectionsNode();
            assertThat(values(saved)).contains("edge-stub").noneMatch(value -> value.contains("token"));
        }
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private static List<String> items(FxRobot robot) {
        ListView<Connection> list = robot.lookup("#list").queryListView();
        return list.getItems().stream().map(Connection::name).toList();
    }

    private static List<String> values(Preferences node) throws Exception {
        List<String> values = new ArrayList<>();
        for (String key : node.keys()) {
            values.add(node.get(key, ""));
        }
        for (String child : node.childrenNames()) {
            values.addAll(values(node.node(child)));
        }
        return values;
    }
}
