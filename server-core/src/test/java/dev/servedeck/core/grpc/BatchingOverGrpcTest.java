package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.floats;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.BatchingStats;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Batching behind the gRPC front end: many Predict calls in flight at once share batches (gRPC threads do
 * not wait for them, so fewer threads than calls still fill a batch), and every caller gets exactly the
 * answer an unbatched server gives.
 */
class BatchingOverGrpcTest {

    private static final int CALLS = 64;

    @TempDir
    static Path models;
    private static ServerCore unbatched;
    private static ServerCore batched;
    private static InProcessGrpcServer unbatchedGrpc;
    private static InProcessGrpcServer batchedGrpc;

    @BeforeAll
    static void start() throws Exception {
        DemoModels.writeMlp(models.resolve("mlp"), 1, 7);
        String config = "model_config_list { config { name: \"mlp\" base_path: \"%s\" } }"
                .formatted(models.resolve("mlp"));
        unbatched = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                ModelServerConfigFile.parse(config, "test"));
        batched = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                        .withBatching(BatchingConfig.enabled(BatchingParametersFile.parse("""
                                max_batch_size { value: 32 }
                                batch_timeout_micros { value: 20000 }
                                max_enqueued_batches { value: 100 }
                                num_batch_threads { value: 1 }
                                """, "test"))),
                ModelServerConfigFile.parse(config, "test"));
        unbatchedGrpc = InProcessGrpcServer.start(unbatched);
        // Two call threads for 64 calls in flight: only asynchronous calls can fill a batch of 32.
        batchedGrpc = InProcessGrpcServer.start(batched, batched, GrpcOptions.defaults().withMaxThreads(2));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (InProcessGrpcServer grpc : new InProcessGrpcServer[] {batchedGrpc, unbatchedGrpc}) {
            if (grpc != null) {
                grpc.close();
            }
        }
        for (ServerCore core : new ServerCore[] {batched, unbatched}) {
            if (core != null) {
                core.close();
            }
        }
    }

    @Test
    void concurrentCallsShareBatchesAndGetTheUnbatchedAnswers() throws Exception {
        Random random = new Random(5);
        List<PredictRequest> requests = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            requests.add(mlpRequest(random));
        }
        BatchingStats before = batched.batchingStats();
        PredictionServiceGrpc.PredictionServiceFutureStub stub = PredictionServiceGrpc.newFutureStub(batchedGrpc.channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        var pending = requests.stream().map(stub::predict).toList();

        for (int i = 0; i < CALLS; i++) {
            PredictResponse answer = pending.get(i).get(60, TimeUnit.SECONDS);
            PredictResponse expected = unbatchedGrpc.prediction().predict(requests.get(i));
            assertThat(floats(answer.getOutputsOrThrow("probabilities")))
                    .containsExactly(floats(expected.getOutputsOrThrow("probabilities")),
                            org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(answer.getOutputsOrThrow("classes").getTensorContent())
                    .isEqualTo(expected.getOutputsOrThrow("classes").getTensorContent());
        }
        BatchingStats after = batched.batchingStats();
        long batches = after.batches() - before.batches();
        long rows = after.rows() - before.rows();
        assertThat(rows).isEqualTo(CALLS);
        assertThat((double) rows / batches).as("mean batch size").isGreaterThan(2.0);
    }

    private static PredictRequest mlpRequest(Random random) {
        ByteBuffer content = ByteBuffer.allocate(784 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 784; i++) {
            content.putFloat(random.nextFloat());
        }
        TensorProto images = TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(784)))
                .setTensorContent(ByteString.copyFrom(content.array()))
                .build();
        return PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("mlp"))
                .putInputs("images", images)
                .build();
    }
}
