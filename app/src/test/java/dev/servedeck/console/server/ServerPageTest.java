package dev.servedeck.console.server;

import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.testing.DemoConsoleTest;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The Server page against a real embedded server: state, endpoints, stop and start from the buttons. */
class ServerPageTest extends DemoConsoleTest {

    @Test
    void showsTheRunningServerAndStopsAndStartsIt(FxRobot robot) throws Exception {
        console.startServer();
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#state").queryAs(Label.class).getText().equals("Running"));
        // This thread reads labels the FX thread is writing: wait for the refresh that set "Running" to finish.
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#models").queryAs(Label.class).getText().equals("2"));
        int restPort = console.backend().status().restPort().getAsInt();
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".sd-code").queryAll().stream()
                .anyMatch(node -> node instanceof Label label && label.getText().contains(":" + restPort + "/v1/models/")));
        WaitForAsyncUtils.asyncFx(() -> console.screenshot("server")).get();

        stopsAndStarts(robot);
    }

    /** The embedded server's process is the console's: Stop stops it, Start starts it again. */
    protected void stopsAndStarts(FxRobot robot) throws Exception {
        robot.clickOn("#stop");
        waitFor(60, TimeUnit.SECONDS, () -> console.backend().status().state() == ServerStatus.State.STOPPED);
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#state").queryAs(Label.class).getText().equals("Stopped"));

        robot.clickOn("#start");
        waitFor(120, TimeUnit.SECONDS, () -> console.backend().status().running());
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#state").queryAs(Label.class).getText().equals("Running"));
    }
}
