package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.testing.ServerProcess;
import dev.servedeck.core.testing.TestFolders;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The headless server in a process of its own, as an edge box runs it: TLS on both ports (a CA made in the test),
 * bearer tokens with scopes, batching, every request logged. Serves {@code half_plus_two} from a folder of its own
 * with versions 123 and 124 (latest: 124 loads) and has a second model folder, {@code other/1}, to add.
 */
final class AdminTestServer implements AutoCloseable {

    static final String ADMIN_TOKEN = "a".repeat(40) + "admin000000000000000000000000";
    static final String MONITOR_TOKEN = "b".repeat(40) + "monitor0000000000000000000000";
    static final String PREDICT_TOKEN = "c".repeat(40) + "predict0000000000000000000000";
    static final String MODEL = "half_plus_two";

    final ServerProcess process;
    final Issued ca;
    final Path models;

    private AdminTestServer(ServerProcess process, Issued ca, Path models) {
        this.process = process;
        this.ca = ca;
        this.models = models;
    }

    static AdminTestServer start(Path temp, String... extraFlags) throws IOException, InterruptedException {
        Issued ca = TestPki.ca("ServeDeck Admin Test CA");
        Path ssl = Files.writeString(temp.resolve("ssl.config"), TestPki.sslConfig(TestPki.server(ca, 1)));
        Path tokens = Files.writeString(temp.resolve("tokens"), ADMIN_TOKEN + " admin,predict\n"
                + MONITOR_TOKEN + " monitor\n" + PREDICT_TOKEN + " predict\n");
        Path models = temp.resolve("models");
        Path version = TfServingTestData.model("saved_model_half_plus_two_cpu").resolve("00000123");
        TestFolders.copy(version, models.resolve(MODEL).resolve("123"));
        TestFolders.copy(version, models.resolve(MODEL).resolve("124"));
        TestFolders.copy(version, models.resolve("other").resolve("1"));
        Path config = Files.writeString(temp.resolve("models.config"), "model_config_list { config { name: \""
                + MODEL + "\" base_path: \"" + models.resolve(MODEL) + "\" model_platform: \"tensorflow\" } }");
        List<String> flags = new java.util.ArrayList<>(List.of("--model_config_file=" + config,
                "--ssl_config_file=" + ssl, "--auth_tokens_file=" + tokens, "--enable_batching",
                "--request_log_sampling_rate=1", "--file_system_poll_wait_seconds=1"));
        flags.addAll(List.of(extraFlags));
        ServerProcess process = ServerProcess.startAwaitingLog(temp.resolve("server.log"), List.of("-Xmx512m"), flags,
                "ServeDeck serving");
        return new AdminTestServer(process, ca, models);
    }

    /** A TLS channel to {@code port} (the server's, or a proxy's in front of it) that trusts the test CA. */
    ManagedChannel channel(int port) throws IOException {
        return channelBuilder(port).build();
    }

    NettyChannelBuilder channelBuilder(int port) throws IOException {
        return NettyChannelBuilder.forAddress("localhost", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.certificate()).build());
    }

    ManagedChannel channel() throws IOException {
        return channel(process.grpcPort());
    }

    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static AdminServiceGrpc.AdminServiceBlockingStub admin(ManagedChannel channel, String token) {
        return withToken(AdminServiceGrpc.newBlockingStub(channel), token).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    static AdminServiceGrpc.AdminServiceStub adminAsync(ManagedChannel channel, String token) {
        return withToken(AdminServiceGrpc.newStub(channel), token);
    }

    /** One Predict of half_plus_two: y = 0.5 x + 2. */
    static float predict(ManagedChannel channel, float x) {
        PredictRequest request = PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(MODEL))
                .putInputs("x", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                        .setTensorShape(TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                                .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                        .addFloatVal(x).build())
                .build();
        return withToken(PredictionServiceGrpc.newBlockingStub(channel), ADMIN_TOKEN)
                .withDeadlineAfter(30, TimeUnit.SECONDS).predict(request).getOutputsOrThrow("y")
                .getTensorContent().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
