package dev.servedeck.console.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Predict page speaking the Open Inference Protocol to the real embedded server (real TensorFlow, real HTTP):
 * the operator picks the protocol, edits its template, sends, and reads the answer, its errors and the curl command.
 */
class PredictOpenInferencePageTest extends DemoConsoleTest {

    private static final String V2 = "Open Inference Protocol v2";

    @Test
    void sendsV2ToTheDemoModelsAndShowsTheProtocolsErrors(FxRobot robot) throws Exception {
        console.startServer();
        PredictPage page = new PredictPage(robot, console.scene());
        robot.clickOn("#nav-predict");
        page.choose("#model", "half_plus_two");
        TextArea request = page.request();
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().contains("instances"));

        // The protocol: the template becomes the protocol's, Classify/Regress are off and say why.
        page.choose("#protocol", V2);
        waitFor(10, TimeUnit.SECONDS, () -> request.getText().replaceAll("\\s", "").equals(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[0.0]}]}"));
        assertThat(page.text("#requestLine")).isEqualTo("POST /v2/models/half_plus_two/infer");
        assertThat(robot.lookup("#verb").queryAs(ComboBox.class).isDisabled()).isTrue();
        Label verbNote = robot.lookup("#verbNote").queryAs(Label.class);
        assertThat(verbNote.isVisible()).isTrue();
        assertThat(verbNote.getText()).contains("Classify and Regress are TF Serving's (v1) verbs");

        // half_plus_two: [1, 2, 5] gives [2.5, 3, 4.5], in the same table as over v1.
        page.typeRequest("{\"inputs\": [{\"name\": \"x\", \"shape\": [3, 1], \"datatype\": \"FP32\", "
                + "\"data\": [1.0, 2.0, 5.0]}]}");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 1);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        assertThat(page.response()).contains("\"model_name\": \"half_plus_two\"").contains("\"datatype\": \"FP32\"");
        TableView<List<String>> table = page.table();
        assertThat(table.getColumns()).extracting(column -> column.getText()).containsExactly("#", "y");
        assertThat(table.getItems()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
        page.historyCell("half_plus_two latest serving_default v2 infer");

        // Copy as curl: the v2 path and the compact body.
        robot.clickOn("#copyCurl");
        waitFor(5, TimeUnit.SECONDS, () -> page.text("#notice").contains("Copied"));
        String clipboard = WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get();
        assertThat(clipboard).isEqualTo("curl -s -X POST -H 'Content-Type: application/json' -d "
                + "'{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}' "
                + console.backend().restBaseUrl().orElseThrow() + "/v2/models/half_plus_two/infer");

        // A shape the values do not fill: the server's {"error": ...} shown with its status.
        page.typeRequest("{\"inputs\": [{\"name\": \"x\", \"shape\": [4, 1], \"datatype\": \"FP32\", "
                + "\"data\": [1.0, 2.0, 5.0]}]}");
        robot.clickOn("#send");
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 2);
        assertThat(page.text("#status")).isEqualTo("HTTP 400 Bad Request");
        Label error = robot.lookup("#error").queryAs(Label.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).isEqualTo("HTTP 400: Input 'x' has 3 values, but its shape [4,1] holds 4");
        assertThat(table.getItems()).isEmpty();

        // mlp: its 784-zero template goes out unchanged; probabilities and a class come back.
        page.choose("#model", "mlp");
        waitFor(30, TimeUnit.SECONDS, () -> request.getText().contains("\"images\"")
                && request.getText().contains("[1, 784]"));
        robot.clickOn("#send");
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 3);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        List<String> columns = table.getColumns().stream().map(column -> column.getText()).toList();
        assertThat(columns).hasSize(12).contains("classes", "probabilities[0]", "probabilities[9]");
        assertThat(table.getItems()).hasSize(1);

        // The first request, double-clicked: sent again over v2 after switching back to v1.
        page.choose("#protocol", "TF Serving REST v1");
        waitFor(10, TimeUnit.SECONDS, () -> request.getText().contains("instances"));
        robot.doubleClickOn(PredictPage.await(() -> robot.lookup("#history .list-cell").queryAll().stream()
                .filter(node -> node instanceof ListCell<?> cell && cell.getText() != null
                        && cell.getText().contains("  200  ")
                        && cell.getText().endsWith("half_plus_two latest serving_default v2 infer"))
                .findFirst()));
        waitFor(30, TimeUnit.SECONDS, () -> page.history().getItems().size() == 4);
        assertThat(page.shownIn("#protocol")).isEqualTo(V2);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        assertThat(table.getItems()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
    }
}
