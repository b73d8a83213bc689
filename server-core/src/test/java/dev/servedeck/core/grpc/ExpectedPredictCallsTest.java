package dev.servedeck.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.config.ModelServerConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Predict call that waits for a gRPC call thread counts as on its way to batching (the adaptive batch timeout
 * holds its model's partial batches for it), until a thread picks it up and hands it to the core.
 */
class ExpectedPredictCallsTest {

    @Test
    void aPredictCallIsExpectedWhileItWaitsForACallThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeServingApi api = new FakeServingApi(() -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeServingApi.EMPTY_ANSWER;
        });
        PredictRequest request = PredictRequest.newBuilder().setModelSpec(GrpcTestRequests.spec("fake")).build();
        try (ServerCore core = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                        ModelServerConfig.getDefaultInstance());
                InProcessGrpcServer grpc = InProcessGrpcServer.start(api, core,
                        GrpcOptions.defaults().withMaxThreads(1))) {
            PredictionServiceGrpc.PredictionServiceFutureStub stub = PredictionServiceGrpc.newFutureStub(grpc.channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            ListenableFuture<PredictResponse> first = stub.predict(request);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(api.expectedPredicts).as("on the call thread: the core counts it now").hasValue(0);

            ListenableFuture<PredictResponse> second = stub.predict(request);
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (api.expectedPredicts.get() == 0 && System.nanoTime() < giveUpAt) {
                Thread.onSpinWait();
            }
            assertThat(api.expectedPredicts).as("waiting for the only call thread").hasValue(1);
            release.countDown();

            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertThat(api.expectedPredicts).hasValue(0);
        }
    }
}
