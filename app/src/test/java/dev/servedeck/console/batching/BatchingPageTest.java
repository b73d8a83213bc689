package dev.servedeck.console.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.testing.DemoConsoleTest;
import dev.servedeck.core.batching.BatchingOptions;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * The Batching page against the real embedded server: parameters typed into the form and applied are the
 * ones the server batches with (it refuses a request larger than the new max_batch_size, and still
 * predicts right); an invalid value is explained next to its field and never reaches the server.
 */
class BatchingPageTest extends DemoConsoleTest {

    private static final String PREDICT = "/v1/models/half_plus_two:predict";

    @Test
    void appliedParametersAreTheOnesTheServerUsesAndInvalidOnesNeverReachIt(FxRobot robot) throws Exception {
        console.startServer();
        asyncFx(() -> console.composition().mainWindow().show(Page.BATCHING)).get();
        // The form lives in a ScrollPane: its nodes are in the scene graph once the skin is built.
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#maxBatchSize").tryQuery().isPresent());
        TextField maxBatchSize = robot.lookup("#maxBatchSize").queryAs(TextField.class);
        waitFor(10, TimeUnit.SECONDS, () -> !maxBatchSize.isDisabled());
        BatchingOptions before = console.backend().batchingOptions();
        assertThat(maxBatchSize.getText()).isEqualTo(Integer.toString(before.maxBatchSize()));

        replaceText(robot, "#maxBatchSize", "16");
        replaceText(robot, "#batchTimeoutMicros", "2000");
        CheckBox adaptive = (CheckBox) asyncFx(() -> console.scene().lookup("#adaptiveBatchTimeout")).get();
        assertThat(adaptive.isSelected()).as("ServeDeck's default").isTrue();
        robot.clickOn(adaptive);
        waitFor(5, TimeUnit.SECONDS, () -> !adaptive.isSelected());
        assertThat(robot.lookup("#dirty").queryAs(Label.class).isVisible()).isTrue();
        robot.clickOn("#apply");

        BatchingOptions expected = before.withMaxBatchSize(16).withBatchTimeoutMicros(2000)
                .withAdaptiveBatchTimeout(false);
        waitFor(10, TimeUnit.SECONDS, () -> console.backend().batchingOptions().equals(expected));
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#notice").queryAs(Label.class).getText().startsWith("Applied"));
        assertThat(robot.lookup("#dirty").queryAs(Label.class).isVisible()).isFalse();

        RestReply predicted = console.backend().sendRest(RestCall.post(PREDICT, "{\"instances\":[[1.0],[2.0]]}"))
                .get(30, TimeUnit.SECONDS);
        assertThat(predicted.statusCode()).isEqualTo(200);
        assertThat(predicted.body().replace(" ", "")).contains("[[2.5],[3.0]]");
        RestReply tooLarge = console.backend().sendRest(RestCall.post(PREDICT,
                "{\"instances\":" + Collections.nCopies(17, List.of(1.0)) + "}")).get(30, TimeUnit.SECONDS);
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("larger than maximum input batch size 16");

        showLiveNumbersAndTakeTheScreenshot();

        // The last allowed size must equal max_batch_size (16): explained at the field, nothing sent.
        replaceText(robot, "#allowedBatchSizes", "4, 8");
        Label allowedError = robot.lookup("#allowedBatchSizesError").queryAs(Label.class);
        waitFor(5, TimeUnit.SECONDS, allowedError::isVisible);
        assertThat(allowedError.getText())
                .isEqualTo("The last of allowed_batch_sizes (8) must equal max_batch_size (16)");
        assertThat(robot.lookup("#apply").queryAs(Button.class).isDisabled()).isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        robot.clickOn("#apply");
        assertThat(console.backend().batchingOptions()).isEqualTo(expected);

        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#allowedBatchSizes").queryAs(TextField.class).getText().isEmpty());
        assertThat(allowedError.isVisible()).isFalse();
        assertThat(console.backend().batchingOptions()).isEqualTo(expected);
    }

    /** Keeps the server busy so the live batching numbers move, then photographs the page. */
    private void showLiveNumbersAndTakeTheScreenshot() throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            while (sending.get()) {
                CompletableFuture.allOf(java.util.stream.IntStream.range(0, 8)
                        .mapToObj(i -> console.backend().sendRest(RestCall.post(PREDICT, "{\"instances\":[[1.0]]}")))
                        .toArray(CompletableFuture[]::new)).join();
            }
        });
        try {
            waitFor(15, TimeUnit.SECONDS, () -> {
                String mean = labelText("#meanBatchSize");
                String rate = labelText("#batchesPerSecond");
                return !mean.equals("–") && Double.parseDouble(mean) > 0 && Double.parseDouble(rate) >= 5;
            });
            asyncFx(() -> console.screenshot("batching")).get();
        } finally {
            sending.set(false);
            load.get(30, TimeUnit.SECONDS);
        }
    }

    private String labelText(String query) throws Exception {
        return asyncFx(() -> ((Label) console.scene().lookup(query)).getText()).get();
    }

    private void replaceText(FxRobot robot, String query, String text) throws Exception {
        // The node from this console's scene, not a lookup over every window: a window of an earlier test
        // can still be closing and hand TestFX a node without a scene.
        javafx.scene.Node field = asyncFx(() -> console.scene().lookup(query)).get();
        robot.doubleClickOn(field);
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.press(KeyCode.BACK_SPACE).release(KeyCode.BACK_SPACE);
        if (!text.isEmpty()) {
            robot.write(text);
        }
    }
}
