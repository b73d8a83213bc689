package dev.servedeck.core.tls;

import static dev.servedeck.core.tls.TlsOverRestAndGrpcTest.predictOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code client_verify: true}: both ports answer only clients whose certificate custom_ca signed. */
class MutualTlsTest {

    @TempDir
    static Path temp;

    private static Issued serverCa;
    private static Issued clientCa;
    private static ModelServer server;

    @BeforeAll
    static void start() throws IOException {
        serverCa = TestPki.ca("Server CA");
        clientCa = TestPki.ca("Client CA");
        Path config = Files.writeString(temp.resolve("ssl.config"),
                TestPki.mutualSslConfig(TestPki.server(serverCa, 7), clientCa));
        server = ModelServer.start(TlsOverRestAndGrpcTest.options(config), TlsOverRestAndGrpcTest.halfPlusTwo());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void restRefusesClientsWithoutACertificateOrWithOneFromAnotherCa() {
        Issued stranger = TestPki.client(TestPki.ca("Stranger CA"), "stranger");

        assertThatThrownBy(() -> rest(null).get("/v1/health")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> rest(stranger).get("/v1/health")).isInstanceOf(UncheckedIOException.class);

        HttpJsonClient.Reply reply = rest(TestPki.client(clientCa, "console")).post("/v1/models/default:predict",
                "{\"instances\": [1.0, 2.0]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("predictions").toString()).isEqualTo("[2.5,3.0]");
    }

    @Test
    void grpcRefusesClientsWithoutACertificateOrWithOneFromAnotherCa() throws Exception {
        Issued stranger = TestPki.client(TestPki.ca("Stranger CA"), "stranger");

        for (Issued refused : new Issued[] {null, stranger}) {
            assertThatThrownBy(() -> predictOnce(server, serverCa, refused))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }

        assertThat(predictOnce(server, serverCa, TestPki.client(clientCa, "app"))).containsExactly(2.5f, 3.0f);
    }

    private static HttpJsonClient rest(Issued identity) {
        return new HttpJsonClient("https://localhost:" + server.restPort().orElseThrow(),
                TlsOverRestAndGrpcTest.httpClient(TestPki.clientContext(serverCa, identity)));
    }
}
