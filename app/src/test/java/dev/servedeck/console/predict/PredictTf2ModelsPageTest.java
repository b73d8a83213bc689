package dev.servedeck.console.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.models.ModelRow;
import dev.servedeck.console.testing.ConsoleUnderTest;
import dev.servedeck.console.testing.Screenshots;
import dev.servedeck.console.testing.SharedTestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * TF2 exports written by TensorFlow itself (../shared/testdata), served by the real embedded server and
 * called from the real Models and Predict pages: the Python-written model without serving_default, whose
 * inputs have unknown rank, and TF Serving's TF2 half_plus_two, whose classify signature's method says
 * predict.
 */
@ExtendWith(ApplicationExtension.class)
class PredictTf2ModelsPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private ConsoleUnderTest console;

    @BeforeEach
    void openConsole() throws Exception {
        Path config = SharedTestModels.config(dataDir.resolve("config"), "py", SharedTestModels.PYTHON_TF2,
                "half_plus_two_tf2", SharedTestModels.TF2_HALF_PLUS_TWO);
        Stage stage = FxToolkit.registerPrimaryStage();
        console = WaitForAsyncUtils.asyncFx(() -> ConsoleUnderTest.open(stage, new ModelSource.ConfigFile(config),
                dataDir)).get();
        console.startServer();
    }

    @AfterEach
    void closeConsole() throws Exception {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void showsTf2SignaturesAndCallsThemByNameWithEachVerb(FxRobot robot) throws Exception {
        // Models page: both versions serve; the Python model's five signatures, its initializer not among them.
        robot.clickOn("#nav-models");
        waitUntil(() -> versionStates(robot).containsAll(List.of("version 1 AVAILABLE", "version 123 AVAILABLE")));
        robot.clickOn(modelRow(robot, "py"));
        TextArea signatures = robot.lookup("#signaturesText").queryAs(TextArea.class);
        waitUntil(() -> signatures.getText().startsWith("version 1: 5 signatures"));
        assertThat(signatures.getText()).contains("add (predict)\n    inputs a: FLOAT (any shape), b: FLOAT (any shape)")
                .contains("get_variable (predict)").doesNotContain("__saved_model_init_op");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(console.scene(), "models-tf2")).get();

        // Predict page: the model without serving_default starts from 'add', called by name.
        PredictPage page = new PredictPage(robot, console.scene());
        robot.clickOn("#nav-predict");
        page.choose("#model", "py");
        waitUntil(() -> compact(page.request().getText())
                .equals("{\"signature_name\":\"add\",\"inputs\":{\"a\":0.0,\"b\":0.0}}"));
        assertThat(page.shownIn("#signature")).isEqualTo("add (predict)");
        assertThat(page.text("#requestLine")).isEqualTo("POST /v1/models/py:predict");
        page.typeRequest("{\"signature_name\": \"add\", \"inputs\": {\"a\": [1.0, 2.0], \"b\": [10.0, 20.0]}}");
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL); // laid out again
        waitUntil(() -> page.request().getText().startsWith("{\n  \"signature_name\": \"add\",\n"));
        robot.clickOn("#send");
        waitUntil(() -> page.history().getItems().size() == 1);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        assertThat(JSON.readTree(page.response())).isEqualTo(JSON.readTree("{\"outputs\": [11.0, 22.0]}"));
        WaitForAsyncUtils.waitForFxEvents(5); // a TextArea lays out new text over a few pulses
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(console.scene(), "predict-tf2-add")).get();

        // TF2 half_plus_two: classify_x_to_y says predict but has classify's form, so Classify is offered.
        page.choose("#model", "half_plus_two_tf2");
        waitUntil(() -> page.shownIn("#signature").equals("serving_default (predict)"));
        page.choose("#signature", "classify_x_to_y (predict, classify)");
        assertThat(page.shownIn("#verb")).isEqualTo("predict");
        page.choose("#verb", "classify");
        waitUntil(() -> compact(page.request().getText())
                .equals("{\"signature_name\":\"classify_x_to_y\",\"examples\":[{\"feature\":0.0}]}"));
        assertThat(page.text("#requestLine")).isEqualTo("POST /v1/models/half_plus_two_tf2:classify");
        page.typeRequest("{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}]}");
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        robot.clickOn("#send");
        waitUntil(() -> page.history().getItems().size() == 2);
        assertThat(page.text("#status")).isEqualTo("HTTP 200 OK");
        JsonNode answer = JSON.readTree(page.response());
        assertThat(answer.at("/results/0/0/1").asDouble()).as(page.response()).isEqualTo(3.0);
        waitFor(5, TimeUnit.SECONDS, () -> page.shownCells().contains("3.0"));
        WaitForAsyncUtils.waitForFxEvents(5);
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(console.scene(), "predict-tf2-classify")).get();
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }

    private static String compact(String json) {
        try {
            return JSON.readTree(json).toString();
        } catch (java.io.IOException e) {
            return json; // being typed: not JSON yet
        }
    }

    /** {@code version 1 AVAILABLE} for each version row of the models tree. */
    @SuppressWarnings("unchecked")
    private static List<String> versionStates(FxRobot robot) {
        TreeTableView<ModelRow> tree = robot.lookup("#tree").queryAs(TreeTableView.class);
        List<String> states = new ArrayList<>();
        for (TreeItem<ModelRow> model : tree.getRoot().getChildren()) {
            model.getChildren().forEach(version -> states.add(version.getValue().name() + " " + version.getValue().state()));
        }
        return states;
    }

    @SuppressWarnings("unchecked")
    private static Node modelRow(FxRobot robot, String name) throws Exception {
        return PredictPage.await(() -> robot.lookup(".tree-table-row-cell").queryAll().stream()
                .filter(node -> node instanceof TreeTableRow<?> row && row.getItem() instanceof ModelRow item
                        && item.isModel() && item.name().equals(name))
                .findFirst());
    }
}
