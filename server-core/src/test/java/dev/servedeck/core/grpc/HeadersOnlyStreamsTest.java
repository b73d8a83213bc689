package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.floatVal;
import static dev.servedeck.core.grpc.GrpcTestRequests.predict;
import static dev.servedeck.core.grpc.GrpcTestRequests.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.testing.Await;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood of gRPC streams that send headers and never a message, over real Netty on 127.0.0.1: they must not take
 * the in-flight slots real calls need (AwaitingMessageLimit). The server runs with two call threads, so it admits
 * 512 calls in flight, fewer than the flood's 1000 streams.
 */
class HeadersOnlyStreamsTest {

    private static final int FLOOD_CHANNELS = 10;
    /** Per channel: the server's limit on concurrent streams per connection (gRPC clients queue beyond it). */
    private static final int STREAMS_PER_CHANNEL = 100;

    /**
     * Predict as the server knows it, declared to the client as a bidirectional stream: grpc-java holds a unary
     * call's headers back until its message, but sends a stream's at once, as an attacker's client would.
     */
    private static final MethodDescriptor<PredictRequest, PredictResponse> PREDICT_AS_STREAM =
            PredictionServiceGrpc.getPredictMethod().toBuilder().setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .build();

    private static ModelServer server;
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() {
        GrpcOptions grpc = GrpcOptions.defaults().withMaxThreads(2);
        server = ModelServer.start(new ModelServerOptions(ServerCoreOptions.defaults()
                        .withFileSystemPollWait(Duration.ZERO), Optional.empty(), Optional.of(grpc), Optional.empty(),
                        Duration.ZERO),
                ModelServerConfigFile.parse(GrpcTestRequests.config(TfServingTestData.root()), "test config"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private static ManagedChannel channel() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow())
                .usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    @Test
    void aThousandStreamsWithoutAMessageDoNotStopARealPredict() throws Exception {
        Map<Status.Code, AtomicInteger> floodEnds = new ConcurrentHashMap<>();
        for (int c = 0; c < FLOOD_CHANNELS; c++) {
            ManagedChannel channel = channel();
            for (int s = 0; s < STREAMS_PER_CHANNEL; s++) {
                ClientCall<PredictRequest, PredictResponse> call = channel.newCall(PREDICT_AS_STREAM, CallOptions.DEFAULT);
                // Headers go out on start; no message, no half-close, ever.
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        floodEnds.computeIfAbsent(status.getCode(), code -> new AtomicInteger()).incrementAndGet();
                    }
                }, new Metadata());
                call.request(1);
            }
        }
        // The server holds the newest 256 and has ended the others to make room.
        Await.until(() -> ended(floodEnds) >= FLOOD_CHANNELS * STREAMS_PER_CHANNEL
                - GrpcOptions.DEFAULT_MAX_CALLS_AWAITING_MESSAGE, Duration.ofSeconds(30));
        assertThat(floodEnds.keySet()).containsOnly(Status.Code.RESOURCE_EXHAUSTED);

        PredictionServiceGrpc.PredictionServiceBlockingStub stub = PredictionServiceGrpc.newBlockingStub(channel());
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            PredictResponse response = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .predict(predict(spec("default"), floatVal(1f, 2f)));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(response.getOutputsOrThrow("y").getTensorShape().getDim(0).getSize()).isEqualTo(2);
        }
    }

    private static int ended(Map<Status.Code, AtomicInteger> ends) {
        return ends.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
