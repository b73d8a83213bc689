package dev.servedeck.core.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Chooses where grpc-java runs a call's listener: on the transport itself ({@code null}, the server's
 * {@code directExecutor}) for the services that hand their work to the call executor on their own, on the
 * call executor for every other service (health, reflection), so no service's work runs on an event loop.
 */
final class ServiceCallExecutors implements ServerCallExecutorSupplier {

    private final Executor callExecutor;
    private final Set<String> selfDispatchingServices;

    ServiceCallExecutors(Executor callExecutor, Set<String> selfDispatchingServices) {
        this.callExecutor = callExecutor;
        this.selfDispatchingServices = Set.copyOf(selfDispatchingServices);
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        String service = call.getMethodDescriptor().getServiceName();
        return selfDispatchingServices.contains(service) ? null : callExecutor;
    }
}
