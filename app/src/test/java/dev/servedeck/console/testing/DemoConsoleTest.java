package dev.servedeck.console.testing;

import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A GUI test of the real console serving the demo models: it opens on TestFX's stage before each test
 * (headless under Monocle) and it is closed, server and popups included, after each.
 */
@ExtendWith(ApplicationExtension.class)
public abstract class DemoConsoleTest {

    @TempDir
    protected static Path dataDir;

    protected ConsoleUnderTest console;

    /** After TestFX's extension has set up the toolkit and the stage (it runs @Start of the test class only). */
    @BeforeEach
    protected void openConsole() throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        console = WaitForAsyncUtils.asyncFx(() -> openOn(stage)).get();
    }

    /**
     * The console this test runs against: the embedded server's by default; a {@code Remote*} subclass opens it on a
     * {@link RemoteTestServer} instead, so the same test runs against both backends.
     */
    protected ConsoleUnderTest openOn(Stage stage) {
        return ConsoleUnderTest.openWithDemoModels(stage, dataDir);
    }

    /** Whether this run manages a server in another process (where start, stop and local files differ). */
    protected boolean remote() {
        return !console.backend().capabilities().controlsProcess();
    }

    @AfterEach
    protected void closeConsole() throws Exception {
        console.close();
    }
}
