package dev.servedeck.console.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.connections.SessionSecretStore;
import dev.servedeck.console.testing.RemoteTestServer;
import dev.servedeck.console.testing.RemoteTestServer.ClientIdentity;
import dev.servedeck.core.signature.SignatureInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The remote backend against a server in another process that verifies clients (TLS {@code client_verify}): the
 * connection's client certificate with its key from the secret store gets the admin API and the REST API through;
 * without it the server refuses the handshake and the backend says it cannot reach it.
 */
class RemoteBackendMutualTlsTest {

    @RegisterExtension
    static final RemoteTestServer SERVER = RemoteTestServer.withDemoModels().requiringClientCertificates();

    @Test
    void theClientCertificateFromTheSecretStoreGetsThroughBothApis() throws Exception {
        ClientIdentity console = SERVER.clientIdentity("console");
        var connection = SERVER.connection(console.certificate());
        SessionSecretStore secrets = new SessionSecretStore("test");
        secrets.write(connection.tokenAccount(), RemoteTestServer.ADMIN_TOKEN);
        secrets.write(connection.clientKeyAccount(), console.keyPem());

        try (RemoteBackend backend = RemoteBackend.connect(connection, secrets)) {
            assertThat(backend.start(null).get(60, TimeUnit.SECONDS).running()).isTrue();
            assertThat(backend.models()).extracting(ModelEntry::name).containsExactly("half_plus_two", "mlp");
            List<SignatureInfo> signatures = backend.signatures("mlp", VersionChoice.LATEST).get(30, TimeUnit.SECONDS);
            assertThat(signatures).isNotEmpty();
            RestReply predicted = backend.sendRest(RestCall.post("/v1/models/half_plus_two:predict",
                    "{\"instances\": [[4.0]]}")).get(30, TimeUnit.SECONDS);
            assertThat(predicted.body().replace(" ", "")).contains("[[4.0]]");
            waitFor(10, TimeUnit.SECONDS, () -> backend.statistics().isPresent());
        }
    }

    @Test
    void withoutAClientCertificateTheServerIsUnreachableAndSaysWhy() throws Exception {
        try (RemoteBackend backend = RemoteBackend.connect(SERVER.connection(),
                Optional.of(RemoteTestServer.ADMIN_TOKEN), Optional.empty())) {
            assertThat(backend.start(null)).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                    .withMessageContaining("Cannot reach edge-test");
            assertThat(backend.status().state()).isEqualTo(ServerStatus.State.UNREACHABLE);
            assertThat(backend.status().message()).contains("trying again in");
            assertThat(backend.loadVersion("mlp", 1)).failsWithin(1, TimeUnit.SECONDS);
        }
    }
}
