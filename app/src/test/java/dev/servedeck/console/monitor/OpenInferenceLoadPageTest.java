package dev.servedeck.console.monitor;

import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/** The Monitor page's v2 switch: the load generator speaks the Open Inference Protocol to the real server. */
class OpenInferenceLoadPageTest extends DemoConsoleTest {

    @Test
    void theV2SwitchSendsTheProtocolsBodyOverRestAndGrpc(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-monitor");
        TextArea body = robot.lookup("#body").queryAs(TextArea.class);
        waitFor(10, TimeUnit.SECONDS, () -> body.getText().equals("{\"instances\":[[1.0],[2.0],[5.0]]}"));

        robot.clickOn("#openInference");
        waitFor(10, TimeUnit.SECONDS, () -> body.getText().equals(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}"));
        robot.doubleClickOn("#requests").write("200");
        robot.clickOn("#startLoad");
        waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Sent 200 of 200 · 200 ok · 0 failed"));

        robot.clickOn("#grpc"); // ModelInfer, the same body as raw_input_contents
        robot.doubleClickOn("#requests").write("150");
        robot.clickOn("#startLoad");
        waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Sent 150 of 150 · 150 ok · 0 failed"));

        robot.clickOn("#openInference");
        waitFor(10, TimeUnit.SECONDS, () -> body.getText().equals("{\"instances\":[[1.0],[2.0],[5.0]]}"));
    }
}
