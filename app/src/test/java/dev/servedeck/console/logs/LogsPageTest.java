package dev.servedeck.console.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.testing.DemoConsoleTest;
import dev.servedeck.ui.StyleClasses;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * The Logs page against the real embedded server: real predictions over HTTP appear as request rows, a
 * failing one as an error row, the filter narrows them, and unloading a version shows in the events.
 */
class LogsPageTest extends DemoConsoleTest {

    @Test
    void showsRealRequestsAndServerEventsAsTheyHappen(FxRobot robot) throws Exception {
        console.startServer();
        asyncFx(() -> console.composition().mainWindow().show(Page.LOGS)).get();
        // The tables live in tabs: they are in the scene graph once the TabPane's skin is built.
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#eventTable").tryQuery().isPresent());
        TableView<EventRow> events = table(robot, "#eventTable");
        // The embedded server says it serves; the console says it reached a remote one.
        String started = remote() ? "Connected to edge-test" : "Serving 2 model(s)";
        waitFor(10, TimeUnit.SECONDS, () -> rows(events).stream().anyMatch(row -> row.message().startsWith(started)));
        // A remote server's history arrives on its events stream, just after the console says it connected.
        waitFor(10, TimeUnit.SECONDS, () -> rows(events).stream()
                .anyMatch(row -> row.message().equals("half_plus_two version 1 is AVAILABLE")));

        for (double x : new double[] {1.0, 2.0, 3.0}) {
            RestReply reply = console.backend().sendRest(RestCall.post("/v1/models/half_plus_two:predict",
                    "{\"instances\":[[" + x + "]]}")).get(30, TimeUnit.SECONDS);
            assertThat(reply.statusCode()).isEqualTo(200);
        }
        RestReply failed = console.backend().sendRest(RestCall.post("/v1/models/no_such_model:predict",
                "{\"instances\":[[1.0]]}")).get(30, TimeUnit.SECONDS);
        assertThat(failed.statusCode()).isEqualTo(404);

        robot.clickOn("Requests");
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#requestTable").tryQuery().isPresent());
        TableView<RequestRow> requests = table(robot, "#requestTable");
        waitFor(10, TimeUnit.SECONDS, () -> rows(requests).size() == 4);
        List<RequestRow> shown = rows(requests);
        assertThat(shown.subList(0, 3)).allSatisfy(row -> {
            assertThat(row.model()).isEqualTo("half_plus_two");
            assertThat(row.status()).isEqualTo("OK");
            assertThat(row.entrypoint()).isEqualTo("REST");
            assertThat(row.api()).isEqualTo("Predict");
            assertThat(row.version()).isEqualTo("1");
        });
        assertThat(shown.get(3).model()).isEqualTo("no_such_model");
        assertThat(shown.get(3).status()).isEqualTo("NOT_FOUND");
        waitFor(5, TimeUnit.SECONDS, () -> !robot.lookup("#requestTable ." + StyleClasses.LOG_ERROR).queryAll().isEmpty());
        asyncFx(() -> console.screenshot("logs")).get();

        robot.clickOn("#filter").write("no_such");
        waitFor(5, TimeUnit.SECONDS, () -> rows(requests).size() == 1);
        assertThat(rows(requests).get(0).status()).isEqualTo("NOT_FOUND");
        robot.clickOn("no_such_model").press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        assertThat(asyncFx(() -> Clipboard.getSystemClipboard().getString()).get())
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\tno_such_model\t\tserving_default\tPredict\tREST\tNOT_FOUND\t\\d+\t0\t0");

        robot.clickOn("#filter").eraseText("no_such".length()).write("half_plus");
        waitFor(5, TimeUnit.SECONDS, () -> rows(requests).size() == 3);

        // Its only version cannot be unloaded: the refusal is an error event, shown in red.
        assertThat(console.backend().unloadVersion("half_plus_two", 1)).failsWithin(60, TimeUnit.SECONDS);
        robot.clickOn("Server events");
        waitFor(10, TimeUnit.SECONDS, () -> rows(events).stream().anyMatch(row -> row.severity() == ServerEvent.Severity.ERROR
                && row.message().startsWith("Unloading half_plus_two version 1 failed: ")));
        assertThat(rows(events)).as("the filter applies to events too")
                .allMatch(row -> row.asText().toLowerCase(Locale.ROOT).contains("half_plus"));
        waitFor(5, TimeUnit.SECONDS, () -> !robot.lookup("#eventTable ." + StyleClasses.LOG_ERROR).queryAll().isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static <R> TableView<R> table(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(TableView.class);
    }

    private static <R> List<R> rows(TableView<R> table) throws Exception {
        return asyncFx(() -> List.copyOf(table.getItems())).get();
    }
}
