package dev.servedeck.core.loadgen.grpc;

import dev.servedeck.core.loadgen.AnswerListener;
import dev.servedeck.core.loadgen.LoadConnection;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * One unary call at a time on a shared channel: a stream slot, which is what concurrency means over HTTP/2.
 * Also the calls' listener, since only one call is ever open on it.
 */
final class GrpcLoadConnection extends ClientCall.Listener<Boolean> implements LoadConnection {

    private final ManagedChannel channel;
    private final MethodDescriptor<byte[], Boolean> method;
    private final byte[] request;
    private final GrpcEndpoint endpoint;
    private volatile ClientCall<byte[], Boolean> call;
    private volatile AnswerListener pending;

    GrpcLoadConnection(ManagedChannel channel, MethodDescriptor<byte[], Boolean> method, byte[] request,
            GrpcEndpoint endpoint) {
        this.channel = channel;
        this.method = method;
        this.request = request;
        this.endpoint = endpoint;
    }

    @Override
    public void send(AnswerListener listener) {
        pending = listener;
        ClientCall<byte[], Boolean> started = channel.newCall(method, CallOptions.DEFAULT);
        call = started;
        try {
            started.start(this, endpoint.headers());
            started.request(1);
            started.sendMessage(request);
            started.halfClose();
        } catch (RuntimeException e) {
            // A call that never started has no listener to close: answer here, exactly once.
            AnswerListener unanswered = pending;
            pending = null;
            started.cancel("could not send", e);
            if (unanswered != null) {
                unanswered.failed("io error: " + e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        AnswerListener listener = pending;
        pending = null;
        if (listener != null) {
            listener.answered(status.getCode().name(), status.isOk());
        }
    }

    @Override
    public void abandon() {
        ClientCall<byte[], Boolean> current = call;
        if (current != null) {
            current.cancel("timed out", null); // onClose follows; the run counts it as a timeout
        }
    }

    @Override
    public void close() {
        abandon();
    }
}
