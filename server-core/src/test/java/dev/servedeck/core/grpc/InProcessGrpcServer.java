package dev.servedeck.core.grpc;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServingApi;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A GrpcServer on the in-process transport with a channel to it: the real services, no sockets. */
final class InProcessGrpcServer implements AutoCloseable {

    final GrpcServer server;
    final ManagedChannel channel;

    private InProcessGrpcServer(GrpcServer server, ManagedChannel channel) {
        this.server = server;
        this.channel = channel;
    }

    static InProcessGrpcServer start(ServerCore core) {
        return start(core, core, GrpcOptions.defaults().withMaxThreads(4));
    }

    static InProcessGrpcServer start(ServingApi api, ServerCore core, GrpcOptions options) {
        String name = "servedeck-test-" + UUID.randomUUID();
        GrpcServer server = GrpcServer.startInProcess(api, core, name, options);
        return new InProcessGrpcServer(server, InProcessChannelBuilder.forName(name).build());
    }

    PredictionServiceGrpc.PredictionServiceBlockingStub prediction() {
        return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    ModelServiceGrpc.ModelServiceBlockingStub models() {
        return ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }
}
