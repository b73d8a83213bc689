package dev.servedeck.core.batching.tuning.admin;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.tuning.BatchingControl;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.proto.admin.v1.ApplyBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.BatchingParameters;
import dev.servedeck.proto.admin.v1.GetBatchingParametersRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A remote server's batching parameters through its admin API ({@code servedeck.admin.v1}
 * Get/ApplyBatchingParameters, docs/admin-api.md): the parameters travel as TF Serving's text format, read and
 * printed by the same {@link BatchingParametersFile} as a {@code --batching_parameters_file}. Applying needs a token
 * with the {@code admin} scope when the server checks tokens.
 */
public final class AdminApiBatchingControl implements BatchingControl, AutoCloseable {

    private static final long DEADLINE_SECONDS = 30;

    private final GrpcEndpoint endpoint;
    private final ManagedChannel channel;
    private final AdminServiceGrpc.AdminServiceBlockingStub stub;

    public AdminApiBatchingControl(GrpcEndpoint endpoint) throws IOException {
        this.endpoint = endpoint;
        this.channel = endpoint.open();
        this.stub = AdminServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(endpoint.headers()));
    }

    @Override
    public BatchingOptions current() throws IOException {
        BatchingParameters answer = call("read the batching parameters", () -> stub
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getBatchingParameters(GetBatchingParametersRequest.getDefaultInstance()));
        if (!answer.getEnabled()) {
            throw new IOException(endpoint + " runs without batching (start it with --enable_batching to tune it)");
        }
        return BatchingParametersFile.parse(answer.getParametersText(), "the batching parameters of " + endpoint);
    }

    @Override
    public void apply(BatchingOptions options) throws IOException {
        call("apply batching parameters", () -> stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                        .setParametersText(BatchingParametersFile.print(options)).build()));
    }

    private <T> T call(String what, java.util.function.Supplier<T> call) throws IOException {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw new IOException("cannot " + what + " on " + endpoint + ": " + e.getStatus().getCode() + " "
                    + e.getStatus().getDescription(), e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
