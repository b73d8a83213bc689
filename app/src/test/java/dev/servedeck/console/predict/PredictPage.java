package dev.servedeck.console.predict;

import static org.testfx.util.WaitForAsyncUtils.waitFor;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.testfx.api.FxRobot;

/** The Predict page as GUI tests drive and read it: what an operator chooses, types and sees. */
final class PredictPage {

    private final FxRobot robot;
    private final Scene scene;

    PredictPage(FxRobot robot, Scene scene) {
        this.robot = robot;
        this.scene = scene;
    }

    /** Opens a chooser and clicks the item shown as {@code item}; waits until the chooser shows it. */
    void choose(String comboId, String item) throws Exception {
        robot.clickOn(comboId);
        // The item in the open popup (a window of its own), not the combo box's own button cell.
        Node cell = await(() -> robot.lookup(".list-cell").queryAll().stream()
                .filter(node -> node.getScene() != scene && node.isVisible()
                        && node instanceof ListCell<?> listCell && item.equals(listCell.getText()))
                .findFirst());
        robot.clickOn(cell);
        waitFor(5, TimeUnit.SECONDS, () -> item.equals(shownIn(comboId)));
    }

    /** What a chooser shows for its value. */
    String shownIn(String comboId) {
        @SuppressWarnings("unchecked")
        ComboBox<Object> combo = robot.lookup(comboId).queryAs(ComboBox.class);
        return combo.getConverter().toString(combo.getValue());
    }

    /** Replaces the whole request with {@code body}, as typed. */
    void typeRequest(String body) {
        robot.clickOn(request()).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write(body);
    }

    TextArea request() {
        return robot.lookup("#request").queryAs(TextArea.class);
    }

    String response() {
        return robot.lookup("#response").queryAs(TextArea.class).getText();
    }

    Node historyCell(String containing) throws Exception {
        return await(() -> robot.lookup("#history .list-cell").queryAll().stream()
                .filter(node -> node instanceof ListCell<?> cell && cell.getText() != null
                        && cell.getText().contains(containing))
                .findFirst());
    }

    static Node await(Callable<Optional<Node>> lookup) throws Exception {
        waitFor(10, TimeUnit.SECONDS, () -> lookup.call().isPresent());
        return lookup.call().orElseThrow();
    }

    String text(String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @SuppressWarnings("unchecked")
    ListView<HistoryEntry> history() {
        return robot.lookup("#history").queryAs(ListView.class);
    }

    @SuppressWarnings("unchecked")
    TableView<List<String>> table() {
        return robot.lookup("#table").queryAs(TableView.class);
    }

    /** The texts the table's cells draw now. */
    List<String> shownCells() {
        return robot.lookup("#table .table-cell").queryAll().stream()
                .map(node -> ((TableCell<?, ?>) node).getText())
                .filter(text -> text != null && !text.isEmpty())
                .toList();
    }
}
