package dev.servedeck.console.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.testing.ConsoleUnderTest;
import dev.servedeck.console.testing.TestModels;
import dev.servedeck.core.servable.ManagerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableRow;
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
 * The Models page against a real embedded server serving half_plus_two versions 1 and 2: the operator
 * unloads and loads a version, moves a label, adds a model and sees each change in the table.
 */
@ExtendWith(ApplicationExtension.class)
class ModelsPageTest {

    static final String MODEL = "half_plus_two";

    @TempDir
    static Path dataDir;

    protected ConsoleUnderTest console;

    /** On TestFX's stage, in a @BeforeEach: TestFX runs @Start of the declaring class only, not of a subclass. */
    @BeforeEach
    void openConsole() throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        Path config = writeModels(dataDir);
        console = WaitForAsyncUtils.asyncFx(() -> openOn(stage, config)).get();
    }

    /** The console under test, on a server serving {@code config}: the embedded one (a remote one in a subclass). */
    protected ConsoleUnderTest openOn(Stage stage, Path config) {
        return ConsoleUnderTest.open(stage, new ModelSource.ConfigFile(config), dataDir);
    }

    /** half_plus_two versions 1 and 2 under {@code folder}, served with the policy "all": the config file. */
    static Path writeModels(Path folder) throws java.io.IOException {
        Path base = TestModels.halfPlusTwo(folder.resolve("models").resolve(MODEL), 1, 2);
        Path config = folder.resolve("models.config");
        Files.writeString(config, """
                model_config_list {
                  config {
                    name: "%s"
                    base_path: "%s"
                    model_platform: "tensorflow"
                    model_version_policy { all {} }
                  }
                }
                """.formatted(MODEL, base.toAbsolutePath()));
        return config;
    }

    @AfterEach
    void tearDown() throws Exception {
        console.close();
    }

    @Test
    void unloadsLoadsAndLabelsVersionsFromThePage(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-models");
        waitUntil(() -> "AVAILABLE".equals(shown(robot, "version 1", "stateColumn"))
                && "AVAILABLE".equals(shown(robot, "version 2", "stateColumn")));
        assertThat(shown(robot, MODEL, "stateColumn")).isEqualTo("2 available");
        assertThat(shown(robot, MODEL, "policyColumn")).isEqualTo("all");

        // Unload version 2 with the button, then load it back.
        robot.clickOn(cell(robot, "version 2", "nameColumn"));
        waitUntil(() -> text(robot, "#selection").equals(MODEL + ", version 2"));
        robot.clickOn("#unloadVersion");
        waitUntil(() -> "END (unloaded)".equals(shown(robot, "version 2", "stateColumn")));
        assertThat(stateOnServer(2)).isEqualTo(ManagerState.END);
        assertThat(shown(robot, MODEL, "policyColumn")).isEqualTo("specific 1");
        waitUntil(() -> text(robot, "#notice").equals("Version 2 of " + MODEL + " is unloading"));

        robot.clickOn("#loadVersion");
        waitUntil(() -> "AVAILABLE".equals(shown(robot, "version 2", "stateColumn")));
        assertThat(stateOnServer(2)).isEqualTo(ManagerState.AVAILABLE);
        waitUntil(() -> text(robot, "#notice").equals("Version 2 of " + MODEL + " is loaded"));

        // Point "stable" at version 2, then move it to version 1.
        robot.clickOn("#labelName").write("stable");
        robot.clickOn("#setLabel");
        waitUntil(() -> "stable → 2".equals(shown(robot, MODEL, "labelsColumn")));
        assertThat(shown(robot, "version 2", "labelsColumn")).isEqualTo("stable");
        assertThat(versionAnsweredFor("stable")).isEqualTo("2");

        robot.clickOn(cell(robot, "version 1", "nameColumn"));
        waitUntil(() -> text(robot, "#selection").equals(MODEL + ", version 1"));
        robot.clickOn("#setLabel");
        waitUntil(() -> "stable → 1".equals(shown(robot, MODEL, "labelsColumn")));
        assertThat(shown(robot, "version 1", "labelsColumn")).isEqualTo("stable");
        assertThat(shown(robot, "version 2", "labelsColumn")).isEmpty();
        assertThat(versionAnsweredFor("stable")).isEqualTo("1");

        robot.clickOn(robot.lookup("#configPane .title").queryAs(Node.class));
        waitUntil(() -> robot.lookup("#configText").queryAs(javafx.scene.control.TextArea.class).getText()
                .contains("key: \"stable\""));
        WaitForAsyncUtils.asyncFx(() -> console.screenshot("models")).get();

        // The labelled version refuses to unload, in the server's words; Delete unloads the other one.
        robot.clickOn("#unloadVersion");
        waitUntil(() -> text(robot, "#failure").contains("label stable points at"));
        assertThat(stateOnServer(1)).isEqualTo(ManagerState.AVAILABLE);

        robot.clickOn(cell(robot, "version 2", "nameColumn"));
        robot.type(KeyCode.DELETE);
        waitUntil(() -> "END (unloaded)".equals(shown(robot, "version 2", "stateColumn")));
        assertThat(text(robot, "#failure")).isEmpty();
    }

    @Test
    void addsAModelFromItsFolder(FxRobot robot) throws Exception {
        Path extra = TestModels.halfPlusTwo(dataDir.resolve("extra"), 5);
        console.startServer();
        robot.clickOn("#nav-models");
        waitUntil(() -> "AVAILABLE".equals(shown(robot, "version 2", "stateColumn")));

        robot.clickOn(robot.lookup("#addPane .title").queryAs(Node.class));
        // The pane's content shows once it has been laid out expanded: under load that is a pulse or two later.
        waitUntil(() -> robot.lookup("#addModel").match(org.testfx.util.NodeQueryUtils.isVisible()).tryQuery()
                .isPresent());
        robot.clickOn("#addModel");
        waitUntil(() -> text(robot, "#addError").contains("A model needs a name"));

        robot.clickOn("#addBasePath").write(extra.toAbsolutePath().toString());
        assertThat(robot.lookup("#addName").queryAs(TextField.class).getText()).isEqualTo("extra");
        robot.clickOn("#addModel");

        waitUntil(() -> "AVAILABLE".equals(shown(robot, "version 5", "stateColumn")));
        assertThat(shown(robot, "extra", "policyColumn")).isEqualTo("latest 1");
        assertThat(shown(robot, "extra", "basePathColumn")).isEqualTo(extra.toAbsolutePath().toString());
        assertThat(console.backend().models()).extracting(ModelEntry::name).containsExactly("extra", MODEL);
        assertThat(text(robot, "#addError")).isEmpty();
    }

    @Test
    void savesRecentRequestsAsAVersionsWarmupFileAndAsksBeforeReplacingIt(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-models");
        waitUntil(() -> "AVAILABLE".equals(shown(robot, "version 2", "stateColumn")));
        RestReply predicted = console.backend().sendRest(RestCall.post("/v1/models/" + MODEL + "/versions/1:predict",
                "{\"instances\": [1.0, 2.0]}")).get(30, TimeUnit.SECONDS);
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);

        robot.clickOn(cell(robot, "version 2", "nameColumn"));
        waitUntil(() -> text(robot, "#selection").equals(MODEL + ", version 2"));
        robot.clickOn(robot.lookup("#warmupPane .title").queryAs(Node.class));
        robot.clickOn("#saveWarmupToVersion");
        Path file = dataDir.resolve("models").resolve(MODEL).resolve("2").resolve("assets.extra")
                .resolve("tf_serving_warmup_requests").toAbsolutePath();
        waitUntil(() -> text(robot, "#notice").equals("Saved 1 recent request of " + MODEL + " to " + file
                + "; version 2 replays them when it next loads"));
        assertThat(file).isRegularFile();
        WaitForAsyncUtils.asyncFx(() -> console.screenshot("models-warmup")).get();

        // Saving again asks first; Cancel keeps the file.
        robot.clickOn("#saveWarmupToVersion");
        waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(dialog.getContentText()).startsWith("Version 2 of " + MODEL + " already has a warmup file");
        robot.clickOn(dialog.lookupButton(ButtonType.CANCEL));
        waitUntil(() -> text(robot, "#notice").equals("Not saved: version 2 of " + MODEL + " keeps its warmup file"));
    }

    // ---- what the operator sees ----

    static void waitUntil(Callable<Boolean> condition) throws Exception {
        waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }

    static String text(FxRobot robot, String query) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).queryAs(Label.class).getText()).get();
    }

    /** The text of a column in the row whose first column shows {@code rowName}; null when no such row shows. */
    private static String shown(FxRobot robot, String rowName, String columnId) {
        return findCell(robot, rowName, columnId).map(cell -> cell.getText() == null ? "" : cell.getText()).orElse(null);
    }

    private static Node cell(FxRobot robot, String rowName, String columnId) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> findCell(robot, rowName, columnId).orElseThrow(
                () -> new AssertionError("no row " + rowName + " on the page"))).get();
    }

    @SuppressWarnings("unchecked")
    private static Optional<TreeTableCell<?, ?>> findCell(FxRobot robot, String rowName, String columnId) {
        for (Node node : robot.lookup(".tree-table-row-cell").queryAll()) {
            TreeTableRow<ModelRow> row = (TreeTableRow<ModelRow>) node;
            if (row.getItem() == null || !row.getItem().name().equals(rowName)) {
                continue;
            }
            for (Node child : row.getChildrenUnmodifiable()) {
                if (child instanceof TreeTableCell<?, ?> cell && cell.getTableColumn() != null
                        && columnId.equals(cell.getTableColumn().getId())) {
                    return Optional.of(cell);
                }
            }
        }
        return Optional.empty();
    }

    private ManagerState stateOnServer(long version) {
        return console.backend().models().stream().filter(m -> m.name().equals(MODEL)).findFirst().orElseThrow()
                .versions().stream().filter(v -> v.version() == version).map(VersionEntry::state).findFirst()
                .orElseThrow();
    }

    private String versionAnsweredFor(String label) throws Exception {
        RestReply reply = console.backend().sendRest(RestCall.get("/v1/models/" + MODEL + "/labels/" + label))
                .get(30, TimeUnit.SECONDS);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body())
                .get("model_version_status").get(0).get("version").asText();
    }
}
