package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.remote.RemoteBackend;
import dev.servedeck.console.testing.RemoteTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpenInferenceLoadGeneratorContract} through the real remote backend, loading a headless server in another
 * process (REST and gRPC) serving the demo models with TLS and a token.
 */
class RemoteOpenInferenceLoadGeneratorTest extends OpenInferenceLoadGeneratorContract {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withDemoModels();
    private static RemoteBackend backend;

    @BeforeAll
    static void connect() throws Exception {
        backend = SERVER.connectBackend();
    }

    @AfterAll
    static void disconnect() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    protected ConsoleBackend backend() {
        return backend;
    }
}
