package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.TfServingGrpcApiTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.apis.GetModelStatusRequest;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.config.ModelServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Status codes as TF Serving sends them (every core code 1:1, with its message; our own bugs as a generic
 * INTERNAL), the in-flight limit, and graceful shutdown draining calls in flight.
 */
class GrpcErrorsTest {

    private static final PredictRequest ANY_REQUEST = PredictRequest.newBuilder()
            .setModelSpec(GrpcTestRequests.spec("fake")).build();

    /** A core without models: the gRPC server needs one for ModelService and health. */
    private static ServerCore emptyCore;

    @BeforeAll
    static void startCore() {
        emptyCore = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                ModelServerConfig.getDefaultInstance());
    }

    @AfterAll
    static void stopCore() {
        emptyCore.close();
    }

    @ParameterizedTest
    @EnumSource(value = Code.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void everyServingCodeReachesTheClientUnchanged(Code code) throws Exception {
        FakeServingApi api = FakeServingApi.throwing(new ServingException(code, "because " + code));
        try (InProcessGrpcServer grpc = InProcessGrpcServer.start(api, emptyCore, GrpcOptions.defaults().withMaxThreads(1))) {
            assertCode(() -> grpc.prediction().predict(ANY_REQUEST), Status.Code.valueOf(code.name()),
                    "because " + code);
        }
    }

    @Test
    void callsRunOnTheCallExecutorNeverOnTheTransportsEventLoop() throws Exception {
        // The services are invoked on Netty's event loop (directExecutor) and must hand the work over.
        AtomicReference<String> predictThread = new AtomicReference<>();
        FakeServingApi api = new FakeServingApi(() -> {
            predictThread.set(Thread.currentThread().getName());
            return FakeServingApi.EMPTY_ANSWER;
        });
        GrpcServer server = GrpcServer.start(api, emptyCore,
                GrpcOptions.defaults().withHost("127.0.0.1").withPort(0).withMaxThreads(2));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(ANY_REQUEST);
            // ModelService, and health (which grpc-java itself runs on the call executor), answer as before.
            assertCode(() -> ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getModelStatus(GetModelStatusRequest.newBuilder().setModelSpec(GrpcTestRequests.spec("none"))
                            .build()), Status.Code.NOT_FOUND, "none");
            assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
        }
        assertThat(predictThread.get()).startsWith("servedeck-grpc-call-");
    }

    @Test
    void unexpectedFailuresAreInternalWithoutDetails() throws Exception {
        FakeServingApi api = FakeServingApi.throwing(new IllegalStateException("secret detail"));
        try (InProcessGrpcServer grpc = InProcessGrpcServer.start(api, emptyCore, GrpcOptions.defaults().withMaxThreads(1))) {
            assertThatThrownBy(() -> grpc.prediction().predict(ANY_REQUEST))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                        assertThat(e.getStatus().getDescription()).isEqualTo(GrpcStatuses.INTERNAL_MESSAGE)
                                .doesNotContain("secret");
                    });
        }
    }

    @Test
    void anErrorCompletingAPredictIsAnsweredInternalNotLeftHanging() throws Exception {
        FakeServingApi api = FakeServingApi.failingLater(new StackOverflowError("deep inside the model"));
        try (InProcessGrpcServer grpc = InProcessGrpcServer.start(api, emptyCore, GrpcOptions.defaults().withMaxThreads(1))) {
            assertThatThrownBy(() -> grpc.prediction().withDeadlineAfter(10, TimeUnit.SECONDS).predict(ANY_REQUEST))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                        assertThat(e.getStatus().getDescription()).doesNotContain("deep inside");
                    });
        }
    }

    @Test
    void callsBeyondTheInFlightLimitAreResourceExhausted() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeServingApi api = new FakeServingApi(() -> {
            entered.countDown();
            await(release);
            return FakeServingApi.EMPTY_ANSWER;
        });
        InFlightCallLimit limit = new InFlightCallLimit(1);
        String name = "limit-" + UUID.randomUUID();
        ExecutorService calls = Executors.newFixedThreadPool(2);
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new PredictionServiceImpl(api, calls), limit)).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            var stub = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            Future<PredictResponse> first = client.submit(() -> stub.predict(ANY_REQUEST));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            assertCode(() -> stub.predict(ANY_REQUEST), Status.Code.RESOURCE_EXHAUSTED, "Too many gRPC requests");

            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isNotNull();
            assertThat(stub.predict(ANY_REQUEST)).isNotNull();
            assertThat(limit.inFlight()).isZero();
        } finally {
            release.countDown();
            client.shutdownNow();
            channel.shutdownNow();
            server.shutdownNow();
            calls.shutdownNow();
        }
    }

    @Test
    void closeLetsCallsInFlightFinishAndRefusesNewOnes() throws Exception {
        AtomicInteger predicts = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeServingApi api = new FakeServingApi(() -> {
            if (predicts.incrementAndGet() == 1) {
                entered.countDown();
                await(release);
            }
            return FakeServingApi.EMPTY_ANSWER;
        });
        InProcessGrpcServer grpc = InProcessGrpcServer.start(api, emptyCore, GrpcOptions.defaults().withMaxThreads(2));
        ExecutorService background = Executors.newFixedThreadPool(2);
        try {
            Future<PredictResponse> inFlight = background.submit(() -> grpc.prediction().predict(ANY_REQUEST));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            Future<?> closing = background.submit(() -> grpc.server.close(Duration.ofSeconds(30)));
            Status.Code refused = awaitRefusal(grpc);
            assertThat(refused).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(closing.isDone()).as("close waits for the call in flight").isFalse();

            release.countDown();
            assertThat(inFlight.get(30, TimeUnit.SECONDS).getModelSpec().getName()).isEqualTo("fake");
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            background.shutdownNow();
            grpc.close();
        }
    }

    @Test
    void channelArgumentsParseAsTfServingWritesThem() {
        assertThat(ChannelArguments.parse("grpc.max_receive_message_length=1024, grpc.keepalive_time_ms=30000,"))
                .containsExactly(java.util.Map.entry("grpc.max_receive_message_length", "1024"),
                        java.util.Map.entry("grpc.keepalive_time_ms", "30000"));
        assertThat(ChannelArguments.parse("")).isEmpty();
        assertThatThrownBy(() -> ChannelArguments.parse("novalue")).isInstanceOf(IllegalArgumentException.class);
    }

    /** New calls answer normally until the shutdown begins, then they are refused. */
    private static Status.Code awaitRefusal(InProcessGrpcServer grpc) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                grpc.prediction().predict(ANY_REQUEST);
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("new calls were never refused");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
