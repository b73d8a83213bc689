package dev.servedeck.console.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
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
        PredictPage page = new PredictPage(robot, console.scene());
        robot.clickOn("#nav-predict");

        // half_plus_two: the template appears; the operator writes three instances and presses Ctrl+Enter.
        page.choose("#model", "half_plus_two");
        TextArea request = page.request();
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().replaceAll("\\s", "").equals("{\"instances\":[[0.0]]}"));
        assertThat(page.text("#requestLine")).isEqualTo("POST /v1/models/half_plus_two:predict");
        page.typeRequest("{\"instances\": [[1.0], [2.0], [5.0]]}");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);

        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 1);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        assertThat(page.text("#latency")).matches("\\d+\\.\\d\\d ms");
        assertThat(page.response())
                .contains("\"predictions\": [[2.5], [3.0], [4.5]]");
        TableView<List<String>> table = page.table();
        assertThat(table.getColumns()).extracting(column -> column.getText()).containsExactly("#", "y");
        assertThat(table.getItems()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
        waitFor(5, TimeUnit.SECONDS, () -> page.shownCells().containsAll(List.of("2.5", "3.0", "4.5")));

        // mlp: its 784-zero template goes out unchanged (Send button); 10 probabilities and a class come back.
        page.choose("#model", "mlp");
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().split("0\\.0").length > 784);
        robot.clickOn("#send");
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 2);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        assertThat(page.response()).contains("\"probabilities\"")
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
        page.choose("#model", "half_plus_two");
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().replaceAll("\\s", "").equals("{\"instances\":[[0.0]]}"));
        ComboBox<?> version = robot.lookup("#version").queryAs(ComboBox.class);
        robot.clickOn(version.getEditor()).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write("99").type(KeyCode.ENTER);
        waitFor(30, TimeUnit.SECONDS, () -> page.text("#metadataError").contains("Specific(half_plus_two, 99)"));
        assertThat(page.text("#requestLine")).isEqualTo("POST /v1/models/half_plus_two/versions/99:predict");
        robot.clickOn("#send");
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 3);
        assertThat(page.text("#status")).isEqualTo("HTTP 404 Not Found");
        Label error = robot.lookup("#error").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).isEqualTo("HTTP 404: Servable not found for request: Specific(half_plus_two, 99)");
        assertThat(table.getItems()).isEmpty();

        // History: a double-click on the first request puts it back and sends it again.
        robot.doubleClickOn(page.historyCell("half_plus_two latest"));
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 4);
        assertThat(request.getText()).isEqualTo("{\"instances\": [[1.0], [2.0], [5.0]]}");
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        assertThat(error.isVisible()).isFalse();
        assertThat(table.getColumns()).extracting(column -> column.getText()).containsExactly("#", "y");
        assertThat(table.getItems()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
        waitFor(5, TimeUnit.SECONDS, () -> page.shownCells().containsAll(List.of("2.5", "3.0", "4.5")));
        WaitForAsyncUtils.waitForFxEvents(5); // a TextArea lays out new text over a few pulses
        WaitForAsyncUtils.asyncFx(() -> console.screenshot("predict")).get();
    }

    @Test
    void refusesMalformedJsonWithoutSending(FxRobot robot) throws Exception {
        console.startServer();
        PredictPage page = new PredictPage(robot, console.scene());
        robot.clickOn("#nav-predict");
        TextArea request = page.request();
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().contains("instances"));
        page.typeRequest("{\"instances\": [[1.0],]}");
        robot.clickOn("#send");
        waitFor(5, TimeUnit.SECONDS, () -> page.text("#requestProblem").contains("Line 1, column"));
        assertThat(page.history().getItems()).isEmpty();
        assertThat(page.text("#status")).isEmpty();

        // Ctrl+L lays a valid request out again.
        page.typeRequest("{\"instances\":[[1.0],[2.0]]}");
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        waitFor(5, TimeUnit.SECONDS, () -> request.getText().equals("{\n  \"instances\": [[1.0], [2.0]]\n}"));

        // Ctrl+Shift+C: the request as a curl command on the clipboard.
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.C).release(KeyCode.C, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(5, TimeUnit.SECONDS, () -> page.text("#notice").contains("Copied"));
        String clipboard = WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get();
        assertThat(clipboard).isEqualTo("curl -s -X POST -H 'Content-Type: application/json' -d "
                + "'{\"instances\":[[1.0],[2.0]]}' " + console.backend().restBaseUrl().orElseThrow()
                + "/v1/models/half_plus_two:predict");
    }
}
