package dev.servedeck.core.grpc;

import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small grpc-java load generator: keeps N unary calls in flight on one channel, records each call's
 * latency, and reports calls/s, p50 and p99. Every run is bounded both in calls and in time, and
 * {@link #stop()} ends it early. Used by the tests (load during a config reload) and by the benchmark.
 *
 * <pre>{@code
 * ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", 8500).usePlaintext().build();
 * GrpcLoadClient.Result r = new GrpcLoadClient(channel).predict(request, 32, 100_000, Duration.ofSeconds(30));
 * System.out.printf("%.0f calls/s p50 %s p99 %s%n", r.callsPerSecond(), r.p50(), r.p99());
 * }</pre>
 */
public final class GrpcLoadClient {

    private final Channel channel;
    private volatile boolean stopped;

    public GrpcLoadClient(Channel channel) {
        this.channel = channel;
    }

    /** The outcome of one run. Latencies are of successful calls only. */
    public record Result(long calls, long failures, Map<Status.Code, Long> failuresByCode, Duration elapsed,
            double callsPerSecond, Duration p50, Duration p99) {
    }

    /** Predict calls with the same request, {@code inFlight} at a time, until {@code maxCalls} or {@code maxTime}. */
    public Result predict(PredictRequest request, int inFlight, long maxCalls, Duration maxTime)
            throws InterruptedException {
        return run(PredictionServiceGrpc.getPredictMethod(), request, inFlight, maxCalls, maxTime);
    }

    /** Ends a running {@link #run} early: no new calls start; those in flight are awaited. */
    public void stop() {
        stopped = true;
    }

    /** Any unary method with the same request each time. */
    public <Q, A> Result run(MethodDescriptor<Q, A> method, Q request, int inFlight, long maxCalls, Duration maxTime)
            throws InterruptedException {
        if (inFlight < 1 || maxCalls < 1) {
            throw new IllegalArgumentException("inFlight and maxCalls must be positive");
        }
        stopped = false;
        Semaphore slots = new Semaphore(inFlight);
        Latencies latencies = new Latencies();
        AtomicLong failures = new AtomicLong();
        Map<Status.Code, Long> failuresByCode = new EnumMap<>(Status.Code.class);
        long start = System.nanoTime();
        long deadline = start + maxTime.toNanos();
        long started = 0;
        while (started < maxCalls && !stopped && System.nanoTime() < deadline) {
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            started++;
            long callStart = System.nanoTime();
            ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT), request, new StreamObserver<A>() {
                @Override
                public void onNext(A value) {
                }

                @Override
                public void onError(Throwable t) {
                    failures.incrementAndGet();
                    synchronized (failuresByCode) {
                        failuresByCode.merge(Status.fromThrowable(t).getCode(), 1L, Long::sum);
                    }
                    slots.release();
                }

                @Override
                public void onCompleted() {
                    latencies.add(System.nanoTime() - callStart);
                    slots.release();
                }
            });
        }
        // Wait for the calls in flight (bounded: a call stuck longer than a minute counts as not finished).
        if (!slots.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("calls still in flight a minute after the run ended");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long[] sorted = latencies.sorted();
        double perSecond = started / Math.max(1e-9, elapsed.toNanos() / 1e9);
        synchronized (failuresByCode) {
            return new Result(started, failures.get(), Map.copyOf(failuresByCode), elapsed, perSecond,
                    percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
    }

    private static Duration percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return Duration.ofNanos(sorted[Math.max(0, index)]);
    }

    /** Latencies in nanoseconds, appended from gRPC's callback threads. */
    private static final class Latencies {
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
