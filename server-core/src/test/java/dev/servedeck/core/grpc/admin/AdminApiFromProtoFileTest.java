package dev.servedeck.core.grpc.admin;

import static dev.servedeck.core.grpc.admin.AdminTestServer.ADMIN_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that has only {@code admin_service.proto}: the build runs protoc on that file alone (no other input but
 * protobuf's well-known types) into a descriptor set, and this test calls the server through messages built from
 * those descriptors by field name, with none of the Java classes generated for the server. What a Python, Go or
 * grpcurl client does with the file.
 */
class AdminApiFromProtoFileTest {

    private static final String SERVICE = "servedeck.admin.v1.AdminService";

    @TempDir
    static Path temp;

    private static AdminTestServer server;
    private static ManagedChannel channel;
    private static ServiceDescriptor service;

    @BeforeAll
    static void start() throws Exception {
        service = serviceFromDescriptorSet();
        server = AdminTestServer.start(temp);
        Metadata token = new Metadata();
        token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ADMIN_TOKEN);
        channel = server.channelBuilder(server.process.grpcPort())
                .intercept(MetadataUtils.newAttachHeadersInterceptor(token)).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            assertThat(server.process.stop()).isZero();
        }
    }

    @Test
    void theProtoFileAloneDescribesTheWholeService() {
        assertThat(service.getMethods()).extracting(MethodDescriptor::getName).containsExactlyInAnyOrder(
                "GetServerInfo", "ListModels", "AddModel", "RemoveModel", "SetVersionPolicy", "LoadVersion",
                "UnloadVersion", "SetLabel", "RemoveLabel", "GetBatchingParameters", "ApplyBatchingParameters",
                "GetModelConfig", "ReplaceModelConfig", "StreamStatistics", "StreamEvents", "TailRequestLog");
        assertThat(service.getFile().getDependencies()).extracting(FileDescriptor::getName)
                .containsExactly("google/protobuf/timestamp.proto");
    }

    @Test
    void unaryCallsAnswerWithMessagesTheFileDescribes() {
        DynamicMessage models = unary("ListModels", Map.of());
        List<?> listed = (List<?>) models.getField(field(models.getDescriptorForType(), "models"));
        DynamicMessage first = (DynamicMessage) listed.get(0);
        assertThat(first.getField(field(first.getDescriptorForType(), "name"))).isEqualTo(MODEL);
        DynamicMessage version = (DynamicMessage) ((List<?>) first.getField(field(first.getDescriptorForType(),
                "versions"))).get(0);
        assertThat(version.getField(field(version.getDescriptorForType(), "state")).toString()).isEqualTo("AVAILABLE");

        DynamicMessage batching = unary("ApplyBatchingParameters",
                Map.of("parameters_text", "max_batch_size { value: 24 }"));
        assertThat((Boolean) batching.getField(field(batching.getDescriptorForType(), "enabled"))).isTrue();
        assertThat((String) batching.getField(field(batching.getDescriptorForType(), "parameters_text")))
                .contains("value: 24");

        DynamicMessage info = unary("GetServerInfo", Map.of());
        assertThat((String) info.getField(field(info.getDescriptorForType(), "tensorflow_version"))).startsWith("2.");
    }

    @Test
    void aStreamDeliversMessagesTheFileDescribes() {
        MethodDescriptor method = service.findMethodByName("StreamStatistics");
        ClientCall<DynamicMessage, DynamicMessage> call = channel.newCall(grpcMethod(method),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        Iterator<DynamicMessage> updates = ClientCalls.blockingServerStreamingCall(call,
                DynamicMessage.getDefaultInstance(method.getInputType()));
        DynamicMessage first = updates.next();
        DynamicMessage second = updates.next();
        call.cancel("enough", null);

        Descriptor type = first.getDescriptorForType();
        assertThat((Long) second.getField(field(type, "sequence")))
                .isEqualTo((Long) first.getField(field(type, "sequence")) + 1);
        assertThat((Long) first.getField(field(type, "step_millis"))).isEqualTo(500L);
    }

    private static DynamicMessage unary(String name, Map<String, Object> fields) {
        MethodDescriptor method = service.findMethodByName(name);
        DynamicMessage.Builder request = DynamicMessage.newBuilder(method.getInputType());
        fields.forEach((field, value) -> request.setField(field(method.getInputType(), field), value));
        return ClientCalls.blockingUnaryCall(channel, grpcMethod(method),
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request.build());
    }

    private static io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(MethodDescriptor method) {
        return io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(method.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
                        : io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(SERVICE, method.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
                .build();
    }

    private static FieldDescriptor field(Descriptor type, String name) {
        FieldDescriptor field = type.findFieldByName(name);
        assertThat(field).as("field %s of %s", name, type.getFullName()).isNotNull();
        return field;
    }

    /** The descriptor set protoc wrote from the .proto file alone (server-core/pom.xml, admin-proto-alone). */
    private static ServiceDescriptor serviceFromDescriptorSet() throws Exception {
        FileDescriptorSet set;
        try (InputStream in = AdminApiFromProtoFileTest.class.getResourceAsStream("/admin-v1-descriptor-set.pb")) {
            assertThat(in).as("the descriptor set of the test build").isNotNull();
            set = FileDescriptorSet.parseFrom(in);
        }
        // protoc writes imports before the files that import them.
        Map<String, FileDescriptor> built = new HashMap<>();
        FileDescriptor admin = null;
        for (FileDescriptorProto file : set.getFileList()) {
            FileDescriptor[] dependencies = file.getDependencyList().stream().map(built::get)
                    .toArray(FileDescriptor[]::new);
            FileDescriptor descriptor = FileDescriptor.buildFrom(file, dependencies);
            built.put(file.getName(), descriptor);
            if (file.getName().equals("servedeck/admin/v1/admin_service.proto")) {
                admin = descriptor;
            }
        }
        assertThat(admin).as("admin_service.proto in the descriptor set").isNotNull();
        return admin.findServiceByName("AdminService");
    }
}
