package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.testing.TestModels;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link OpenInferenceLoadGeneratorContract} through the embedded backend. */
class OpenInferenceLoadGeneratorTest extends OpenInferenceLoadGeneratorContract {

    @TempDir
    static Path dir;
    private static EmbeddedBackend backend;

    @BeforeAll
    static void startServer() throws Exception {
        backend = new EmbeddedBackend();
        backend.start(new ServerSettings("127.0.0.1", 0, 0, false, new ModelSource.Demo(TestModels.demoRoot()),
                dir.resolve("logs"))).get(2, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stopServer() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    protected ConsoleBackend backend() {
        return backend;
    }
}
