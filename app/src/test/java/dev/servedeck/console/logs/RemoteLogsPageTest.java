package dev.servedeck.console.logs;

import dev.servedeck.console.testing.ConsoleUnderTest;
import dev.servedeck.console.testing.RemoteTestServer;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LogsPageTest} against a headless server in another process, managed over its admin API with TLS and a token:
 * the same test, the console's remote backend.
 */
class RemoteLogsPageTest extends LogsPageTest {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withDemoModels();

    @Override
    protected ConsoleUnderTest openOn(Stage stage) {
        return ConsoleUnderTest.openRemote(stage, SERVER, RemoteTestServer.ADMIN_TOKEN, dataDir);
    }
}
