package dev.servedeck.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.HttpJsonClient;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The whole server with {@code --ssl_config_file} over real sockets, TensorFlow Serving's half_plus_two behind
 * it: REST (JDK HttpClient) and gRPC (grpc-java) trusting the test CA, plain-text clients on the TLS ports, and
 * new certificates served without a restart.
 */
class TlsOverRestAndGrpcTest {

    private static final String METRICS = "/monitoring/prometheus/metrics";

    @TempDir
    static Path temp;

    private static Issued ca;
    private static Path sslConfig;
    private static ModelServer server;
    private static SSLContext trustingCa;

    @BeforeAll
    static void start() throws IOException {
        ca = TestPki.ca("ServeDeck Test CA");
        sslConfig = Files.writeString(temp.resolve("ssl.config"), TestPki.sslConfig(TestPki.server(ca, 1)));
        server = ModelServer.start(options(sslConfig), halfPlusTwo());
        trustingCa = TestPki.clientContext(ca, null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ModelServerOptions options(Path sslConfig) {
        return new ModelServerOptions(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                Optional.of(RestOptions.defaults().withNumThreads(2)),
                Optional.of(GrpcOptions.defaults().withMaxThreads(2)), Optional.empty(), Duration.ZERO,
                MonitoringOptions.defaults().withPrometheusPath(METRICS))
                .withTls(new TlsOptions(sslConfig, Duration.ZERO));
    }

    static dev.servedeck.proto.config.ModelServerConfig halfPlusTwo() {
        return ModelServerConfigFile.parse("model_config_list { config { name: \"default\" base_path: \""
                + TfServingTestData.model("saved_model_half_plus_two_cpu") + "\" } }", "test config");
    }

    @Test
    void restAnswersOverHttpsIncludingHealthAndMetrics() {
        HttpJsonClient client = https(trustingCa);

        HttpJsonClient.Reply reply = client.post("/v1/models/default:predict", "{\"instances\": [1.0, 2.0]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("predictions").toString()).isEqualTo("[2.5,3.0]");
        assertThat(client.get("/v1/health").status()).isEqualTo(200);
        assertThat(client.get(METRICS).status()).isEqualTo(200);
    }

    @Test
    void grpcAnswersOverTls() throws Exception {
        assertThat(predictOnce(server, ca, null)).containsExactly(2.5f, 3.0f);
    }

    @Test
    void plainTextClientsFailCleanlyAndTheServerKeepsServing() throws Exception {
        HttpJsonClient.Reply plain = new HttpJsonClient(server.restPort().orElseThrow())
                .post("/v1/models/default:predict", "{\"instances\": [1.0]}");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.error()).contains("This port serves HTTPS");

        ManagedChannel plainGrpc = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow())
                .usePlaintext().build();
        try {
            assertThatThrownBy(() -> predict(plainGrpc)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            plainGrpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(https(trustingCa).post("/v1/models/default:predict", "{\"instances\": [1.0]}").status())
                .isEqualTo(200);
        assertThat(predictOnce(server, ca, null)).containsExactly(2.5f, 3.0f);
    }

    @Test
    void aClientThatDoesNotTrustTheCaRefusesTheServer() {
        HttpJsonClient stranger = https(TestPki.clientContext(TestPki.ca("Some Other CA"), null));

        assertThatThrownBy(() -> stranger.get("/v1/health")).hasCauseInstanceOf(SSLHandshakeException.class);
    }

    /**
     * One test for the sequence, as it changes the shared server's certificate: a renewed certificate reaches new
     * connections on both ports while an open connection keeps the old one, then a broken config changes nothing.
     */
    @Test
    void newCertificatesReachNewConnectionsWithoutARestartAndABrokenOneIsNotServed() throws Exception {
        int restPort = server.restPort().orElseThrow();
        int grpcPort = server.grpcPort().orElseThrow();
        HttpClient keptOpen = httpClient(trustingCa);
        BigInteger before = servedSerial(keptOpen);
        ManagedChannel grpcKeptOpen = grpcChannel(grpcPort, ca, null);
        try {
            assertThat(predict(grpcKeptOpen)).containsExactly(2.5f, 3.0f);
            BigInteger renewed = before.add(BigInteger.ONE);
            Files.writeString(sslConfig, TestPki.sslConfig(TestPki.server(ca, renewed.longValueExact())));
            assertThat(server.tls().orElseThrow().reloadIfChanged()).isTrue();

            assertThat(TestPki.servedCertificate(trustingCa, restPort).getSerialNumber()).isEqualTo(renewed);
            assertThat(TestPki.servedCertificate(trustingCa, grpcPort).getSerialNumber()).isEqualTo(renewed);
            assertThat(servedSerial(keptOpen)).as("an open keep-alive connection keeps its certificate")
                    .isEqualTo(before);
            assertThat(predict(grpcKeptOpen)).as("an open gRPC connection keeps working").containsExactly(2.5f, 3.0f);

            Files.writeString(sslConfig, "server_key: \"-----BEGIN PRIVATE KEY-----\\nbroken");
            assertThatThrownBy(() -> server.tls().orElseThrow().reloadIfChanged())
                    .isInstanceOf(ServingException.class);
            X509Certificate served = TestPki.servedCertificate(trustingCa, restPort);
            assertThat(served.getSerialNumber()).as("the last good certificate stays").isEqualTo(renewed);
            assertThat(https(trustingCa).post("/v1/models/default:predict", "{\"instances\": [1.0]}").status())
                    .isEqualTo(200);
        } finally {
            grpcKeptOpen.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokenSslConfigStopsTheStartBeforeAnyModelLoads() throws IOException {
        Issued server = TestPki.server(ca, 50);
        Path mismatched = Files.writeString(temp.resolve("mismatched.config"), TestPki.sslConfig(
                TestPki.server(ca, 51).keyPem(), server.certificatePem(), "", false));
        dev.servedeck.proto.config.ModelServerConfig missingModel = ModelServerConfigFile.parse(
                "model_config_list { config { name: \"m\" base_path: \"" + temp.resolve("absent") + "\" } }", "test");

        assertThatThrownBy(() -> ModelServer.start(options(mismatched), missingModel))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("server_key does not belong to server_cert");
        assertThatThrownBy(() -> ModelServer.start(options(temp.resolve("absent.config")), missingModel))
                .hasMessageContaining("Cannot read SSL config file");
    }

    private BigInteger servedSerial(HttpClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.restPort().orElseThrow() + "/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    static HttpClient httpClient(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpJsonClient https(SSLContext context) {
        return new HttpJsonClient("https://localhost:" + server.restPort().orElseThrow(), httpClient(context));
    }

    static ManagedChannel grpcChannel(int port, Issued trusted, Issued identity) throws IOException {
        var tls = GrpcSslContexts.forClient().trustManager(trusted.certificate());
        if (identity != null) {
            tls.keyManager(identity.key(), identity.certificate());
        }
        return NettyChannelBuilder.forAddress("localhost", port).sslContext(tls.build()).build();
    }

    /** One Predict on a channel of its own, closed after. */
    static List<Float> predictOnce(ModelServer server, Issued trusted, Issued identity) throws Exception {
        ManagedChannel channel = grpcChannel(server.grpcPort().orElseThrow(), trusted, identity);
        try {
            return predict(channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static List<Float> predict(ManagedChannel channel) {
        TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(2))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addFloatVal(1.0f).addFloatVal(2.0f).build();
        PredictRequest request = PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("default"))
                .putInputs("x", x).build();
        TensorProto y = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(request).getOutputsOrThrow("y");
        java.nio.FloatBuffer values = y.getTensorContent().asReadOnlyByteBuffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        Float[] floats = new Float[values.remaining()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = values.get(i);
        }
        return List.of(floats);
    }
}
