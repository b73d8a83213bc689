package dev.servedeck.console.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The kit in a real scene, bound as a page binds it: a server that answers late shows busy and leaves the FX
 * thread free; one that fails shows its message; an answer to a question no longer asked never shows.
 */
@ExtendWith(ApplicationExtension.class)
class OperationStateSceneTest {

    /** The "server": each call returns the future the test completes when it likes. */
    private volatile CompletableFuture<String> serverAnswer = new CompletableFuture<>();
    private OperationState operation;
    private LatestAnswer<String> reads;
    private Label shown;

    @Start
    void start(Stage stage) {
        operation = new OperationState(Platform::runLater);
        reads = new LatestAnswer<>(Platform::runLater);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("busy");
        busy.visibleProperty().bind(operation.busyProperty());
        Label busyText = new Label();
        busyText.setId("busyText");
        busyText.textProperty().bind(operation.busyTextProperty());
        Label notice = new Label();
        notice.setId("notice");
        notice.textProperty().bind(operation.noticeProperty());
        Label failure = new Label();
        failure.setId("failure");
        failure.textProperty().bind(operation.failureProperty());
        shown = new Label();
        shown.setId("shown");
        Button apply = new Button("Apply");
        apply.setId("apply");
        apply.disableProperty().bind(operation.busyProperty());
        apply.setOnAction(event -> operation.run("Applying", () -> serverAnswer, answer -> "Applied: " + answer,
                "The server refused: "));
        stage.setScene(new Scene(new VBox(busy, busyText, notice, failure, shown, apply), 300, 200));
        stage.show();
    }

    @Test
    void aSlowCallShowsBusyAndNeverBlocksTheFxThread(FxRobot robot) throws Exception {
        robot.clickOn("#apply");

        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#busy").queryAs(ProgressIndicator.class).isVisible());
        assertThat(robot.lookup("#busyText").queryAs(Label.class).getText()).isEqualTo("Applying…");
        assertThat(robot.lookup("#apply").queryAs(Button.class).isDisabled()).isTrue();
        // The server has not answered, yet the FX thread runs other work at once.
        long started = System.nanoTime();
        asyncFx(() -> shown.setText("still responsive")).get(2, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_000);
        assertThat(robot.lookup("#shown").queryAs(Label.class).getText()).isEqualTo("still responsive");

        serverAnswer.complete("batch size 32"); // from a server thread, as a real backend answers

        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#notice").queryAs(Label.class).getText()
                .equals("Applied: batch size 32"));
        assertThat(robot.lookup("#busy").queryAs(ProgressIndicator.class).isVisible()).isFalse();
        assertThat(robot.lookup("#apply").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#failure").queryAs(Label.class).getText()).isEmpty();
    }

    @Test
    void aFailingCallShowsTheServersMessage(FxRobot robot) throws Exception {
        serverAnswer = CompletableFuture.failedFuture(new IllegalArgumentException("max_batch_size must be > 0"));

        robot.clickOn("#apply");

        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#failure").queryAs(Label.class).getText()
                .equals("The server refused: max_batch_size must be > 0"));
        assertThat(robot.lookup("#busy").queryAs(ProgressIndicator.class).isVisible()).isFalse();
        assertThat(robot.lookup("#notice").queryAs(Label.class).getText()).isEmpty();
    }

    @Test
    void aSecondOperationWhileOneRunsIsRefusedWithTheRunningOnesName(FxRobot robot) throws Exception {
        robot.clickOn("#apply");
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#busy").queryAs(ProgressIndicator.class).isVisible());

        asyncFx(() -> operation.run("Saving", CompletableFuture::new, ignored -> "saved", "")).get();

        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#failure").queryAs(Label.class).getText()
                .equals("Wait for \"Applying…\" to finish"));
        serverAnswer.complete("done");
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#notice").queryAs(Label.class).getText()
                .equals("Applied: done"));
    }

    @Test
    void aLateAnswerForASupersededQuestionIsDropped(FxRobot robot) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        asyncFx(() -> {
            reads.ask(() -> first, shown::setText, error -> shown.setText("failed"));
            reads.ask(() -> second, shown::setText, error -> shown.setText("failed"));
        }).get();

        second.complete("signatures of mlp");
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#shown").queryAs(Label.class).getText()
                .equals("signatures of mlp"));
        first.complete("signatures of half_plus_two"); // the slow server answers the old question at last
        asyncFx(() -> { }).get(); // whatever the late answer queued on the FX thread has run

        assertThat(robot.lookup("#shown").queryAs(Label.class).getText()).isEqualTo("signatures of mlp");
        assertThat(asyncFx(reads::isLoading).get()).isFalse();
    }
}
