package dev.servedeck.core.loadgen.grpc;

import dev.servedeck.core.loadgen.LoadConnection;
import dev.servedeck.core.loadgen.LoadTarget;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import dev.servedeck.proto.inference.ModelInferRequest;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC load with grpc-java: TF Serving's PredictionService.Predict or the Open Inference Protocol's
 * GRPCInferenceService.ModelInfer with one prebuilt request, over a few HTTP/2 connections (channels) that the
 * concurrency's calls share round-robin.
 */
public final class GrpcLoadTarget implements LoadTarget {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final GrpcEndpoint endpoint;
    private final byte[] request;
    private final int rowsPerRequest;
    private final List<ManagedChannel> channels;
    private final MethodDescriptor<byte[], Boolean> method;
    private int opened;

    private GrpcLoadTarget(GrpcEndpoint endpoint, String fullMethodName, byte[] request, int rowsPerRequest,
            List<ManagedChannel> channels) {
        this.endpoint = endpoint;
        this.method = PrebuiltMessages.method(fullMethodName);
        this.request = request;
        this.rowsPerRequest = rowsPerRequest;
        this.channels = channels;
    }

    /**
     * @param connections HTTP/2 connections; {@link #defaultConnections} matches the benchmark's h2load runs
     */
    public static GrpcLoadTarget create(GrpcEndpoint endpoint, PredictRequest request, int connections,
            int rowsPerRequest) throws IOException, InterruptedException {
        return create(endpoint, PredictionServiceGrpc.getPredictMethod().getFullMethodName(), request.toByteArray(),
                connections, rowsPerRequest);
    }

    /** The Open Inference Protocol's ModelInfer, otherwise as {@link #create(GrpcEndpoint, PredictRequest, int, int)}. */
    public static GrpcLoadTarget create(GrpcEndpoint endpoint, ModelInferRequest request, int connections,
            int rowsPerRequest) throws IOException, InterruptedException {
        return create(endpoint, GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(),
                request.toByteArray(), connections, rowsPerRequest);
    }

    private static GrpcLoadTarget create(GrpcEndpoint endpoint, String fullMethodName, byte[] request,
            int connections, int rowsPerRequest) throws IOException, InterruptedException {
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < Math.max(1, connections); i++) {
                ManagedChannel channel = endpoint.open();
                channels.add(channel);
                awaitReady(channel, endpoint);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channels.forEach(ManagedChannel::shutdownNow);
            throw e;
        }
        return new GrpcLoadTarget(endpoint, fullMethodName, request, rowsPerRequest, List.copyOf(channels));
    }

    /** One connection up to 8 calls in flight, two beyond (one per server event loop on a small machine). */
    public static int defaultConnections(int concurrency) {
        return concurrency <= 8 ? 1 : 2;
    }

    private static void awaitReady(ManagedChannel channel, GrpcEndpoint endpoint)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY) {
            if (System.nanoTime() > deadline || state == ConnectivityState.SHUTDOWN) {
                throw new IOException("cannot connect to " + endpoint + " (" + state + ")");
            }
            Thread.sleep(5);
            state = channel.getState(true);
        }
    }

    @Override
    public synchronized LoadConnection connect() {
        ManagedChannel channel = channels.get(opened++ % channels.size());
        return new GrpcLoadConnection(channel, method, request, endpoint);
    }

    @Override
    public String describe() {
        return "gRPC " + endpoint + " " + method.getBareMethodName() + " (" + channels.size() + " connection"
                + (channels.size() == 1 ? "" : "s") + ")";
    }

    @Override
    public int rowsPerRequest() {
        return rowsPerRequest;
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels) {
            try {
                if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.shutdownNow();
            }
        }
    }
}
