package dev.servedeck.bench;

import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import dev.servedeck.proto.admin.v1.StreamStatisticsRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the admin API's live statistics cost the server: one idle ServeDeck process (demo models loaded, no
 * requests), its CPU time over {@code window} without admin streams and with {@link #STREAMS} clients streaming
 * statistics, in rounds ABBA ABBA (without, with, with, without, ...) so that drift of the machine falls on both
 * sides, after a discarded round with streams (the JIT compiles the streaming code once, not in a measured round).
 * Each client is a channel of its own, as ten consoles on ten machines would be.
 */
final class AdminStreamsCostSuite {

    static final int STREAMS = 10;

    private final BenchmarkSettings settings;
    private final Duration window;

    AdminStreamsCostSuite(BenchmarkSettings settings, Duration window) {
        this.settings = settings;
        this.window = window;
    }

    AdminStreamsCostResult run(Path modelConfig) throws IOException, InterruptedException {
        try (RunningServer server = RunningServer.startServeDeck(settings, modelConfig, "servedeck-admin-streams")) {
            Thread.sleep(5_000); // start-up work (first polls) done before the first window
            List<Long> discarded = new ArrayList<>();
            double warmUp = cpuPercent(server, STREAMS, discarded);
            System.out.printf("Warm-up round with %d streams: %.2f%% of a core (discarded)%n", STREAMS, warmUp);
            List<Double> without = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            List<Long> updates = new ArrayList<>();
            for (int pair = 0; pair < 2; pair++) {
                without.add(cpuPercent(server, 0, updates));
                with.add(cpuPercent(server, STREAMS, updates));
                with.add(cpuPercent(server, STREAMS, updates));
                without.add(cpuPercent(server, 0, updates));
            }
            return new AdminStreamsCostResult(window, STREAMS, without, with, updates);
        }
    }

    /** The server's CPU time over one window in percent of one core, with {@code streams} clients streaming. */
    private double cpuPercent(RunningServer server, int streams, List<Long> updates)
            throws IOException, InterruptedException {
        List<ManagedChannel> channels = new ArrayList<>();
        List<Context.CancellableContext> calls = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        for (int i = 0; i < streams; i++) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
                    .build();
            channels.add(channel);
            Context.CancellableContext call = Context.current().withCancellation();
            calls.add(call);
            call.run(() -> AdminServiceGrpc.newStub(channel).streamStatistics(
                    StreamStatisticsRequest.getDefaultInstance(), counting(received)));
        }
        Thread.sleep(2_000); // streams open and steady
        long receivedBefore = received.get();
        long before = server.cpuNanos();
        Thread.sleep(window.toMillis());
        long used = server.cpuNanos() - before;
        if (streams > 0) {
            updates.add(received.get() - receivedBefore);
        }
        calls.forEach(call -> call.cancel(null));
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        Thread.sleep(1_000);
        return 100.0 * used / window.toNanos();
    }

    private static StreamObserver<StatisticsUpdate> counting(AtomicLong received) {
        return new StreamObserver<>() {
            @Override
            public void onNext(StatisticsUpdate update) {
                received.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                // cancelled at the end of the window
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
