package dev.servedeck.console.predict;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.remote.RemoteBackend;
import dev.servedeck.console.testing.RemoteTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PredictOpenInferenceContract} through the real remote backend, on a headless server in another process
 * serving the demo models with TLS and a token.
 */
class RemotePredictOpenInferenceTest extends PredictOpenInferenceContract {

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
