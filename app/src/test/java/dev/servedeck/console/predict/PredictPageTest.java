package dev.servedeck.console.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import dev.servedeck.console.testing.Screenshots;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Predict page against the real embedded server, real TensorFlow and real HTTP: what an operator
 * types, clicks and reads.
 */
class PredictPageTest extends DemoConsoleTest {

    @Test
    void predictsWithHalfPlusTwoAndTheMlpAndShowsTfServingsErrors(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-predict");

        // half_plus_two: the template appears; the operator writes three instances and presses Ctrl+Enter.
        choose(robot, "#model", "half_plus_two");
        TextArea request = robot.lookup("#request").queryAs(TextArea.class);
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().replaceAll("\\s", "").equals("{\"instances\":[[0.0]]}"));
        assertThat(text(robot, "#requestLine")).isEqualTo("POST /v1/models/half_plus_two:predict");
        robot.clickOn(request).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write("{\"instances\": [[1.0], [2.0], [5.0]]}");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);

        waitFor(30, TimeUnit.SECONDS, () -> history(robot).getItems().size() == 1);
        assertThat(text(robot, "#status")).isEqualTo("HTTP 200 OK");
        assertThat(text(robot, "#latency")).matches("\\d+\\.\\d\\d ms");
        assertThat(robot.lookup("#response").queryAs(TextArea.class).getText())
                .contains("\"predictions\": [[2.5], [3.0], [4.5]]");
        TableView<List<String>> table = table(robot);
        assertThat(table.getColumns()).extracting(column -> column.getText()).containsExactly("#", "y");
        assertThat(table.getItems()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
        waitFor(5, TimeUnit.SECONDS, () -> shownCells(robot).containsAll(List.of("2.5", "3.0", "4.5")));

        // mlp: its 784-zero template goes out unchanged (Send button); 10 probabilities and a class come back.
        choose(robot, "#model", "mlp");
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().split("0\\.0").length > 784);
        robot.clickOn("#send");
        waitFor(30, TimeUnit.SECONDS, () -> history(robot).getItems().size() == 2);
        assertThat(text(robot, "#status")).isEqualTo("HTTP 200 OK");
        assertThat(robot.lookup("#response").queryAs(TextArea.class).getText()).contains("\"probabilities\"")
                .contains("\"classes\"");
        List<String> columns = table.getColumns().stream().map(column -> column.getText()).toList();
        assertThat(columns).hasSize(12).contains("classes", "probabilities[0]", "probabilities[9]");
        assertThat(table.getItems()).hasSize(1);
        List<String> row = table.getItems().get(0);
        double sum = 0;
        int best = 0;
        for (int i = 0; i < 10; i++) {
            double probability = Double.parseDouble(row.get(columns.indexOf("probabilities[" + i + "]")));
            assertThat(probability).isBetween(0.0, 1.0);
            sum += probability;
            if (probability > Double.parseDouble(row.get(columns.indexOf("probabilities[" + best + "]")))) {
                best = i;
            }
        }
        assertThat(sum).isCloseTo(1.0, within(1e-4));
        assertThat(Integer.parseInt(row.get(columns.indexOf("classes")))).isEqualTo(best);

        // An unknown version: TF Serving's error text, shown with the status code.
        choose(robot, "#model", "half_plus_two");
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().replaceAll("\\s", "").equals("{\"instances\":[[0.0]]}"));
        ComboBox<?> version = robot.lookup("#version").queryAs(ComboBox.class);
        robot.clickOn(version.getEditor()).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write("99").type(KeyCode.ENTER);
        waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#metadataError").contains("Specific(half_plus_two, 99)"));
        assertThat(text(robot, "#requestLine")).isEqualTo("POST /v1/models/half_plus_two/versions/99:predict");
        robot.clickOn("#send");
        waitFor(30, TimeUnit.SECONDS, () -> history(robot).getItems().size() == 3);
        assertThat(text(robot, "#status")).isEqualTo("HTTP 404 Not Found");
        Label error = robot.lookup("#error").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).isEqualTo("HTTP 404: Servable not found for request: Specific(half_plus_two, 99)");
        assertThat(table.getItems()).isEmpty();

        // History: a double-click on the first request puts it back and sends it again.
        robot.doubleClickOn(historyCell(robot, "half_plus_two latest"));
        waitFor(30, TimeUnit.SECONDS, () -> history(robot).getItems().size() == 4);
        assertThat(request.getText()).isEqualTo("{\"instances\": [[1.0], [2.0], [5.0]]}");
        assertThat(text(robot, "#status")).isEqualTo("HTTP 200 OK");
        assertThat(error.isVisible()).isFalse();
        assertThat(table.getColumns()).extracting(column -> column.getText()).containsExactly("#", "y");
        assertThat(table.getItems()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
        waitFor(5, TimeUnit.SECONDS, () -> shownCells(robot).containsAll(List.of("2.5", "3.0", "4.5")));
        WaitForAsyncUtils.waitForFxEvents(5); // a TextArea lays out new text over a few pulses
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(console.scene(), "predict")).get();
    }

    @Test
    void refusesMalformedJsonWithoutSending(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-predict");
        TextArea request = robot.lookup("#request").queryAs(TextArea.class);
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().contains("instances"));
        robot.clickOn(request).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write("{\"instances\": [[1.0],]}");
        robot.clickOn("#send");
        waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#requestProblem").contains("Line 1, column"));
        assertThat(history(robot).getItems()).isEmpty();
        assertThat(text(robot, "#status")).isEmpty();

        // Ctrl+L lays a valid request out again.
        robot.clickOn(request).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write("{\"instances\":[[1.0],[2.0]]}");
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        waitFor(5, TimeUnit.SECONDS, () -> request.getText().equals("{\n  \"instances\": [[1.0], [2.0]]\n}"));

        // Ctrl+Shift+C: the request as a curl command on the clipboard.
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.C).release(KeyCode.C, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#notice").contains("Copied"));
        String clipboard = WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get();
        assertThat(clipboard).isEqualTo("curl -s -X POST -H 'Content-Type: application/json' -d "
                + "'{\"instances\":[[1.0],[2.0]]}' " + console.backend().restBaseUrl().orElseThrow()
                + "/v1/models/half_plus_two:predict");
    }

    private void choose(FxRobot robot, String comboId, String item) throws Exception {
        robot.clickOn(comboId);
        // The item in the open popup (a window of its own), not the combo box's own button cell.
        Node cell = await(() -> robot.lookup(".list-cell").queryAll().stream()
                .filter(node -> node.getScene() != console.scene() && node.isVisible()
                        && node instanceof ListCell<?> listCell && item.equals(listCell.getText()))
                .findFirst());
        robot.clickOn(cell);
        waitFor(5, TimeUnit.SECONDS, () -> item.equals(robot.lookup(comboId).queryAs(ComboBox.class).getValue()));
    }

    private static Node historyCell(FxRobot robot, String containing) throws Exception {
        return await(() -> robot.lookup("#history .list-cell").queryAll().stream()
                .filter(node -> node instanceof ListCell<?> cell && cell.getText() != null
                        && cell.getText().contains(containing))
                .findFirst());
    }

    private static Node await(Callable<Optional<Node>> lookup) throws Exception {
        waitFor(10, TimeUnit.SECONDS, () -> lookup.call().isPresent());
        return lookup.call().orElseThrow();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @SuppressWarnings("unchecked")
    private static ListView<HistoryEntry> history(FxRobot robot) {
        return robot.lookup("#history").queryAs(ListView.class);
    }

    @SuppressWarnings("unchecked")
    private static TableView<List<String>> table(FxRobot robot) {
        return robot.lookup("#table").queryAs(TableView.class);
    }

    /** The texts the table's cells draw now. */
    private static List<String> shownCells(FxRobot robot) {
        return robot.lookup("#table .table-cell").queryAll().stream()
                .map(node -> ((TableCell<?, ?>) node).getText())
                .filter(text -> text != null && !text.isEmpty())
                .toList();
    }
}
