package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.floatVal;
import static dev.servedeck.core.grpc.GrpcTestRequests.floats;
import static dev.servedeck.core.grpc.GrpcTestRequests.predict;
import static dev.servedeck.core.grpc.GrpcTestRequests.spec;
import static dev.servedeck.core.grpc.TfServingGrpcApiTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.ReloadConfigRequest;
import dev.servedeck.proto.apis.ReloadConfigResponse;
import dev.servedeck.proto.config.ModelServerConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.error.Code;

/** ModelService.HandleReloadConfigRequest: the served models replaced at run time, as TF Serving does. */
class ReloadConfigTest {

    private Path data;
    private ServerCore core;
    private InProcessGrpcServer grpc;

    @BeforeEach
    void start() {
        data = TfServingTestData.root();
        core = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                config("default", "saved_model_half_plus_two_cpu"));
        grpc = InProcessGrpcServer.start(core);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (grpc != null) {
            grpc.close();
        }
        if (core != null) {
            core.close();
        }
    }

    @Test
    void addsAndRemovesAModelUnderLoadWithoutAFailedCall() throws Exception {
        GrpcLoadClient load = new GrpcLoadClient(grpc.channel);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<GrpcLoadClient.Result> running = background.submit(() -> load.predict(
                    predict(spec("default"), floatVal(2f)), 4, 1_000_000, Duration.ofSeconds(60)));

            ReloadConfigResponse added = reload(config("default", "saved_model_half_plus_two_cpu",
                    "added", "saved_model_half_plus_three"));
            assertThat(added.getStatus().getErrorCode()).isEqualTo(Code.OK);
            assertThat(floats(grpc.prediction().predict(predict(spec("added"), floatVal(1f))).getOutputsOrThrow("y")))
                    .containsExactly(3.5f);
            assertThat(health("added")).isEqualTo(ServingStatus.SERVING);

            ReloadConfigResponse removed = reload(config("default", "saved_model_half_plus_two_cpu"));
            assertThat(removed.getStatus().getErrorCode()).isEqualTo(Code.OK);
            // The answer comes once the new config is in effect; the removed version may still be draining its
            // last calls (UNLOADING answers UNAVAILABLE, the core's choice), and is gone right after.
            assertThat(awaitCodeOtherThanUnavailable(predict(spec("added"), floatVal(1f))))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(health("added")).isEqualTo(ServingStatus.NOT_SERVING);

            load.stop();
            GrpcLoadClient.Result result = running.get(90, TimeUnit.SECONDS);
            assertThat(result.calls()).isPositive();
            assertThat(result.failures()).as("failed calls by code: %s", result.failuresByCode()).isZero();
            assertThat(result.p50()).isLessThanOrEqualTo(result.p99());
        } finally {
            load.stop();
            background.shutdownNow();
        }
    }

    @Test
    void aModelThatFailsToLoadFailsTheReloadAsTfServing() {
        assertCode(() -> reload(config("default", "saved_model_half_plus_two_cpu", "bad", "bad_half_plus_two")),
                Status.Code.UNKNOWN, "Some models did not become available: {{name: bad version: 123}");
        // The rest of the config was applied and serves.
        assertThat(grpc.prediction().predict(predict(spec("default"), floatVal(2f))).getOutputsMap()).containsKey("y");
    }

    @Test
    void onlyAModelConfigListIsAccepted() {
        ModelServerConfig custom = ModelServerConfig.newBuilder()
                .setCustomModelConfig(com.google.protobuf.Any.getDefaultInstance()).build();
        assertCode(() -> reload(custom), Status.Code.INVALID_ARGUMENT, "Only ModelConfigList is currently supported");
    }

    @Test
    void anInvalidConfigChangesNothing() {
        // Built rather than parsed: our config file reader refuses it before it could reach the server.
        ModelServerConfig one = config("default", "saved_model_half_plus_three");
        ModelServerConfig duplicate = one.toBuilder().setModelConfigList(one.getModelConfigList().toBuilder()
                .addConfig(one.getModelConfigList().getConfig(0))).build();
        assertCode(() -> reload(duplicate), Status.Code.INVALID_ARGUMENT, "default");
        assertThat(floats(grpc.prediction().predict(predict(spec("default"), floatVal(2f))).getOutputsOrThrow("y")))
                .containsExactly(3f);
    }

    private ReloadConfigResponse reload(ModelServerConfig config) {
        return grpc.models().handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(config).build());
    }

    private Status.Code awaitCodeOtherThanUnavailable(PredictRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Status.Code code = Status.Code.OK;
        while (System.nanoTime() < deadline) {
            try {
                grpc.prediction().predict(request);
                code = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
            }
            if (code != Status.Code.UNAVAILABLE) {
                return code;
            }
            Thread.sleep(10);
        }
        return code;
    }

    private ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    /** name, folder, name, folder ... */
    private ModelServerConfig config(String... namesAndFolders) {
        StringBuilder text = new StringBuilder("model_config_list {\n");
        for (int i = 0; i < namesAndFolders.length; i += 2) {
            text.append("  config { name: \"").append(namesAndFolders[i]).append("\" base_path: \"")
                    .append(data.resolve(namesAndFolders[i + 1])).append("\" }\n");
        }
        return ModelServerConfigFile.parse(text.append("}\n").toString(), "test config");
    }
}
