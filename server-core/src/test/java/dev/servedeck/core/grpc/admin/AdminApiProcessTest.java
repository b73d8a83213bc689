package dev.servedeck.core.grpc.admin;

import static dev.servedeck.core.grpc.admin.AdminTestServer.ADMIN_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.MODEL;
import static dev.servedeck.core.grpc.admin.AdminTestServer.MONITOR_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.PREDICT_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.admin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.testing.Await;
import dev.servedeck.proto.admin.v1.AddModelRequest;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.servedeck.proto.admin.v1.ApplyBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.BatchingParameters;
import dev.servedeck.proto.admin.v1.GetBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.GetModelConfigRequest;
import dev.servedeck.proto.admin.v1.GetServerInfoRequest;
import dev.servedeck.proto.admin.v1.ListModelsRequest;
import dev.servedeck.proto.admin.v1.LoadVersionRequest;
import dev.servedeck.proto.admin.v1.Model;
import dev.servedeck.proto.admin.v1.ModelConfigText;
import dev.servedeck.proto.admin.v1.ModelVersion;
import dev.servedeck.proto.admin.v1.RemoveLabelRequest;
import dev.servedeck.proto.admin.v1.RemoveModelRequest;
import dev.servedeck.proto.admin.v1.ReplaceModelConfigRequest;
import dev.servedeck.proto.admin.v1.ServerInfo;
import dev.servedeck.proto.admin.v1.SetLabelRequest;
import dev.servedeck.proto.admin.v1.SetVersionPolicyRequest;
import dev.servedeck.proto.admin.v1.UnloadVersionRequest;
import dev.servedeck.proto.admin.v1.VersionPolicy;
import dev.servedeck.proto.admin.v1.VersionState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's unary calls against the headless server in a process of its own, over TLS with tokens: who may
 * call what, server info, every per-model operation, batching and the model config text.
 */
class AdminApiProcessTest {

    @TempDir
    static Path temp;

    private static AdminTestServer server;
    private static ManagedChannel channel;
    private static AdminServiceBlockingStub admin;

    @BeforeAll
    static void start() throws Exception {
        server = AdminTestServer.start(temp);
        channel = server.channel();
        admin = admin(channel, ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            String log = server.process.log();
            assertThat(server.process.stop()).as(log).isZero();
            assertThat(log).doesNotContain("ERROR");
        }
    }

    @Test
    void withoutATokenEveryCallIsUnauthenticatedAndAPredictTokenIsDenied() {
        assertThat(codeOf(() -> admin(channel, null).listModels(ListModelsRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> admin(channel, "not-a-token-of-this-server-0000").getServerInfo(
                GetServerInfoRequest.getDefaultInstance()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> admin(channel, PREDICT_TOKEN).listModels(ListModelsRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> admin(channel, PREDICT_TOKEN).removeModel(RemoveModelRequest.newBuilder()
                .setName(MODEL).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        // Nothing was removed by the refused call.
        assertThat(names(admin.listModels(ListModelsRequest.getDefaultInstance()).getModelsList())).contains(MODEL);
    }

    @Test
    void aMonitorTokenReadsButChangesNothing() {
        AdminServiceBlockingStub monitor = admin(channel, MONITOR_TOKEN);

        assertThat(monitor.listModels(ListModelsRequest.getDefaultInstance()).getModelsCount()).isPositive();
        assertThat(monitor.getModelConfig(GetModelConfigRequest.getDefaultInstance()).getConfigText())
                .contains(MODEL);
        assertThat(monitor.getBatchingParameters(GetBatchingParametersRequest.getDefaultInstance()).getEnabled())
                .isTrue();
        StatusRuntimeException denied = catchStatus(() -> monitor.applyBatchingParameters(
                ApplyBatchingParametersRequest.newBuilder().setParametersText("max_batch_size { value: 8 }").build()));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).isEqualTo("Permission denied: "
                + "AdminService/ApplyBatchingParameters needs a token with the 'admin' scope");
    }

    @Test
    void serverInfoSaysWhatRunsWhereWithWhichFlags() {
        ServerInfo info = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance());

        assertThat(info.getServedeckVersion()).isNotBlank();
        assertThat(info.getTensorflowVersion()).startsWith("2.");
        assertThat(info.getTensorflowJavaVersion()).isNotBlank();
        assertThat(info.getUptimeMillis()).isPositive();
        assertThat(info.getFlagsList()).contains("--enable_batching", "--request_log_sampling_rate=1",
                "--port=" + server.process.grpcPort());
        assertThat(info.getHost().getAvailableProcessors()).isPositive();
        assertThat(info.getHost().getTotalMemoryBytes()).isPositive();
        assertThat(info.getHost().getHeapMaxBytes()).isBetween(400L << 20, 512L << 20);
        assertThat(info.getHost().getHeapUsedBytes()).isPositive();
        assertThat(info.getInstanceId()).hasSize(36);
        assertThat(info.getBatchingEnabled()).isTrue();
        assertThat(info.getMaxAdminStreams()).isEqualTo(32);
    }

    @Test
    void serverInfoSaysWhatTheProcessCostsItsMachine() throws InterruptedException {
        admin.getServerInfo(GetServerInfoRequest.getDefaultInstance()); // opens the CPU window if none is open
        Thread.sleep(600);
        ServerInfo info = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance());

        // A server with TensorFlow's natives loaded holds far more than its heap: RSS counts them.
        assertThat(info.getHost().getProcessResidentBytes()).isGreaterThan(info.getHost().getHeapUsedBytes())
                .isGreaterThan(100L << 20);
        assertThat(info.getHost().getProcessCpuCores()).isBetween(0.0,
                (double) info.getHost().getAvailableProcessors() + 0.5);
    }

    @Test
    void everyPerModelOperationChangesWhatIsServed() throws InterruptedException {
        // Add a model; it loads before the call returns.
        Model other = admin.addModel(AddModelRequest.newBuilder().setName("other")
                .setBasePath(server.models.resolve("other").toString()).build()).getModel();
        assertThat(states(other)).containsEntry(1L, VersionState.AVAILABLE);
        assertThat(other.getPolicy().getLatest().getNumVersions()).isEqualTo(1);
        assertThat(codeOf(() -> admin.addModel(AddModelRequest.newBuilder().setName("other")
                .setBasePath(server.models.resolve("other").toString()).build())))
                .isEqualTo(Status.Code.ALREADY_EXISTS);

        // Load an older version beside the latest, label it, move the label, remove it.
        Model both = admin.loadVersion(LoadVersionRequest.newBuilder().setModel(MODEL).setVersion(123).build())
                .getModel();
        assertThat(states(both)).containsEntry(123L, VersionState.AVAILABLE).containsEntry(124L, VersionState.AVAILABLE);
        Model labelled = admin.setLabel(SetLabelRequest.newBuilder().setModel(MODEL).setLabel("stable")
                .setVersion(123).build()).getModel();
        assertThat(labelled.getLabelsMap()).containsEntry("stable", 123L);
        assertThat(version(labelled, 123).getLabelsList()).containsExactly("stable");
        Model moved = admin.setLabel(SetLabelRequest.newBuilder().setModel(MODEL).setLabel("stable")
                .setVersion(124).build()).getModel();
        assertThat(moved.getLabelsMap()).containsExactly(Map.entry("stable", 124L));
        // A label points at 124 now: unloading it is refused and changes nothing.
        assertThat(codeOf(() -> admin.unloadVersion(UnloadVersionRequest.newBuilder().setModel(MODEL)
                .setVersion(124).build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        Model unlabelled = admin.removeLabel(RemoveLabelRequest.newBuilder().setModel(MODEL).setLabel("stable")
                .build()).getModel();
        assertThat(unlabelled.getLabelsMap()).isEmpty();
        assertThat(codeOf(() -> admin.removeLabel(RemoveLabelRequest.newBuilder().setModel(MODEL)
                .setLabel("stable").build()))).isEqualTo(Status.Code.NOT_FOUND);

        // Unload the older version; then go back to "latest 1" as configured at start.
        Model unloaded = admin.unloadVersion(UnloadVersionRequest.newBuilder().setModel(MODEL).setVersion(123)
                .build()).getModel();
        // The call returns once the unload has begun; the version ends when its last requests have drained.
        assertThat(states(unloaded).get(123L)).isIn(VersionState.UNLOADING, VersionState.END);
        assertThat(states(unloaded)).containsEntry(124L, VersionState.AVAILABLE);
        Await.until(() -> admin.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                .filter(model -> model.getName().equals(MODEL)).map(AdminApiProcessTest::states)
                .anyMatch(versions -> versions.get(123L) == VersionState.END), Duration.ofSeconds(30));
        Model latest = admin.setVersionPolicy(SetVersionPolicyRequest.newBuilder().setModel(MODEL)
                .setPolicy(VersionPolicy.newBuilder().setLatest(VersionPolicy.Latest.newBuilder().setNumVersions(1)))
                .build()).getModel();
        assertThat(latest.getPolicy().hasLatest()).isTrue();
        assertThat(AdminTestServer.predict(channel, 2f)).isEqualTo(3f);

        // Remove the added model: its version ends.
        assertThat(admin.removeModel(RemoveModelRequest.newBuilder().setName("other").build()).getVersionsList())
                .extracting(ModelVersion::getState).containsAnyOf(VersionState.UNLOADING, VersionState.END)
                .doesNotContain(VersionState.AVAILABLE);
        assertThat(names(admin.listModels(ListModelsRequest.getDefaultInstance()).getModelsList()))
                .doesNotContain("other");
        assertThat(codeOf(() -> admin.removeModel(RemoveModelRequest.newBuilder().setName("other").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void batchingParametersApplyLiveAndBadTextChangesNothing() {
        BatchingParameters before = admin.getBatchingParameters(GetBatchingParametersRequest.getDefaultInstance());
        assertThat(before.getEnabled()).isTrue();

        BatchingParameters after = admin.applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                .setParametersText("max_batch_size { value: 16 } batch_timeout_micros { value: 500 }").build());
        assertThat(after.getParametersText()).contains("max_batch_size {\n  value: 16\n}");
        assertThat(AdminTestServer.predict(channel, 4f)).isEqualTo(4f);

        StatusRuntimeException refused = catchStatus(() -> admin.applyBatchingParameters(
                ApplyBatchingParametersRequest.newBuilder().setParametersText("max_batch_size { value: -3 }").build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(admin.getBatchingParameters(GetBatchingParametersRequest.getDefaultInstance()))
                .isEqualTo(after);
        admin.applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                .setParametersText(before.getParametersText()).build());
    }

    @Test
    void theModelConfigTextIsReadAndReplaced() {
        ModelConfigText config = admin.getModelConfig(GetModelConfigRequest.getDefaultInstance());
        assertThat(config.getConfigText()).contains("name: \"" + MODEL + "\"");

        String withLabel = config.getConfigText().replace("model_platform: \"tensorflow\"",
                "model_platform: \"tensorflow\" version_labels { key: \"prod\" value: 124 }");
        ModelConfigText replaced = admin.replaceModelConfig(ReplaceModelConfigRequest.newBuilder()
                .setConfigText(withLabel).build());
        assertThat(replaced.getConfigText()).contains("key: \"prod\"");

        StatusRuntimeException refused = catchStatus(() -> admin.replaceModelConfig(ReplaceModelConfigRequest
                .newBuilder().setConfigText("model_config_list { config { name: ").build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        admin.replaceModelConfig(ReplaceModelConfigRequest.newBuilder().setConfigText(config.getConfigText()).build());
        assertThat(admin.getModelConfig(GetModelConfigRequest.getDefaultInstance()).getConfigText())
                .doesNotContain("prod");
    }

    private static Map<Long, VersionState> states(Model model) {
        return model.getVersionsList().stream().collect(Collectors.toMap(ModelVersion::getVersion,
                ModelVersion::getState));
    }

    private static ModelVersion version(Model model, long version) {
        return model.getVersionsList().stream().filter(v -> v.getVersion() == version).findFirst().orElseThrow();
    }

    private static java.util.List<String> names(java.util.List<Model> models) {
        return models.stream().map(Model::getName).toList();
    }

    private static Status.Code codeOf(Runnable call) {
        return catchStatus(call).getStatus().getCode();
    }

    private static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }
}
